/* The rule form's custom field picker: pick a custom field of the rule's record, an operator
   that fits its type and a value (a choice by its label), and add it to the conditions (or as
   a "set field" action) in the JSON below. The fields come from the page (json_script). */
(function () {
  "use strict";
  var dataEl = document.getElementById("gd-custom-picker");
  var box = document.querySelector("[data-testid=custom-picker]");
  if (!dataEl || !box) return;
  var P = JSON.parse(dataEl.textContent);
  var form = box.closest("form");
  var objectSelect = form.querySelector("[name=object]");
  var part = function (name) { return box.querySelector('[data-picker="' + name + '"]'); };
  var fieldSel = part("field"), opSel = part("op"), choiceSel = part("choice"), input = part("value");

  function option(value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  }
  function current() {
    return P.fields.filter(function (f) {
      return f.object === objectSelect.value && f.path === fieldSel.value;
    })[0];
  }
  function fillFields() {
    fieldSel.innerHTML = "";
    var mine = P.fields.filter(function (f) { return f.object === objectSelect.value; });
    mine.forEach(function (f) { fieldSel.appendChild(option(f.path, f.label)); });
    part("empty").hidden = mine.length > 0;
    box.querySelectorAll("select, input, button").forEach(function (el) { el.disabled = !mine.length; });
    fillOps();
  }
  function fillOps() {
    var f = current();
    opSel.innerHTML = "";
    (f ? f.ops : []).forEach(function (op) { opSel.appendChild(option(op, P.ops[op] || op)); });
    fillValue();
  }
  function fillValue() {
    var f = current(), op = opSel.value;
    var choices = f && (f.choices.length || f.type === "boolean");
    choiceSel.innerHTML = "";
    if (f && f.type === "boolean") {
      choiceSel.appendChild(option("true", P.yes));
      choiceSel.appendChild(option("false", P.no));
    } else if (f) {
      f.choices.forEach(function (c) { choiceSel.appendChild(option(c.value, c.label)); });
    }
    choiceSel.multiple = op === "in";
    choiceSel.hidden = !choices || op === "is_empty";
    input.hidden = !!choices || op === "is_empty";
    input.type = f && f.type === "date" ? "date" : (f && (f.type === "number" || f.type === "money") ? "number" : "text");
    input.placeholder = f && f.type === "datetime" ? "2026-06-01T09:00:00+08:00" : (op === "in" ? "a, b" : "");
  }
  function typed(f, raw) {
    if (f.type === "boolean") return raw === "true";
    if (f.type === "number") return Number(raw);
    if (f.type === "user") return parseInt(raw, 10);
    return raw;
  }
  function pickedValue(f, op) {
    if (op === "is_empty") return true;
    if (!choiceSel.hidden) {
      var picked = Array.prototype.filter.call(choiceSel.options, function (o) { return o.selected; })
        .map(function (o) { return typed(f, o.value); });
      return op === "in" ? picked : picked[0];
    }
    if (op === "in") return input.value.split(",").map(function (v) { return typed(f, v.trim()); });
    return typed(f, input.value.trim());
  }
  function append(name, item) {
    var area = form.querySelector('[name="' + name + '"]');
    var list = [];
    try { list = area.value.trim() ? JSON.parse(area.value) : []; } catch (e) { return; }
    if (!Array.isArray(list)) return;
    list.push(item);
    area.value = JSON.stringify(list, null, 2);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  part("add-condition").addEventListener("click", function () {
    var f = current();
    if (!f) return;
    append("conditions", { field: f.path, op: opSel.value, value: pickedValue(f, opSel.value) });
  });
  part("add-action").addEventListener("click", function () {
    // "is empty" clears the field; several picked values are a multiple choice's list.
    var f = current();
    if (!f) return;
    var op = opSel.value, value = null;
    if (op !== "is_empty") {
      value = pickedValue(f, op);
      if (Array.isArray(value) && f.type !== "multi_choice") value = value[0];
      if (f.type === "multi_choice" && !Array.isArray(value)) value = [value];
    }
    append("actions", { type: "set_field", field: f.path, value: value });
  });
  objectSelect.addEventListener("change", fillFields);
  fieldSel.addEventListener("change", fillOps);
  opSel.addEventListener("change", fillValue);
  fillFields();
})();
