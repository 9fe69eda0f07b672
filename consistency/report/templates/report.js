(function () {
  "use strict";
  var SEVERITIES = ["high", "medium", "low", "info"];
  var form = document.getElementById("filters");
  var select = document.getElementById("filter-rule");
  var status = document.getElementById("filter-status");
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".severity-group"));

  function box(severity) {
    return document.getElementById("filter-" + severity);
  }

  function apply() {
    var rule = select ? select.value : "";
    var shown = 0;
    findings.forEach(function (el) {
      var b = box(el.getAttribute("data-severity"));
      var visible = (!b || b.checked) && (rule === "" || el.getAttribute("data-rule") === rule);
      el.hidden = !visible;
      el.classList.toggle("filtered-out", !visible);
      if (visible) { shown += 1; }
    });
    groups.forEach(function (g) {
      g.hidden = !g.querySelector(".finding:not([hidden])");
    });
    if (status) {
      status.textContent = shown + " of " + findings.length + " findings shown";
    }
  }

  // "#hide=high,low&rule=count.disagrees" (or the same as a query string): set the controls
  // exactly as a reader would, then filter. Other fragments (plain anchors) are left alone.
  function fromAddress() {
    var sources = [window.location.search.replace(/^\?/, ""), window.location.hash.replace(/^#/, "")];
    var applied = false;
    sources.forEach(function (text) {
      if (!/(^|&)(hide|rule)=/.test(text)) { return; }
      var params = new URLSearchParams(text);
      var hide = (params.get("hide") || "").toLowerCase().split(",");
      SEVERITIES.forEach(function (s) {
        var b = box(s);
        if (b) { b.checked = hide.indexOf(s) < 0; }
      });
      if (select) {
        var rule = params.get("rule") || "";
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === rule; });
        select.value = known ? rule : "";
      }
      applied = true;
    });
    return applied;
  }

  if (form) {
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  }
  window.addEventListener("hashchange", function () {
    if (fromAddress()) { apply(); }
  });
  fromAddress();
  apply();
  document.body.dataset.ready = "1";
})();
