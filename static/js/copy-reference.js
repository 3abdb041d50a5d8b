// Progressive enhancement: a "copy" button beside the reference; without JavaScript the
// read-only text area still lets a reader select and copy it.
(function () {
  "use strict";
  var area = document.getElementById("reference-texte");
  if (!area || !navigator.clipboard) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-button";
  button.textContent = document.documentElement.lang === "en" ? "Copy the reference" : "Copier la référence";
  var status = document.createElement("span");
  status.className = "copy-status";
  status.setAttribute("role", "status");
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(area.value).then(function () {
      status.textContent = document.documentElement.lang === "en" ? "Copied." : "Copiée.";
    });
  });
  area.insertAdjacentElement("afterend", status);
  area.insertAdjacentElement("afterend", button);
})();
