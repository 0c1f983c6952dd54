// Product page: when the buyer picks another outlet, follow its minimum order in the quantity field.
// Progressive enhancement only: without it the form still works and the cart checks the minimum.
(function () {
  "use strict";
  var form = document.querySelector(".buy-form");
  var quantity = form && form.querySelector("input[name=quantity]");
  if (!quantity) { return; }
  form.addEventListener("change", function (event) {
    var radio = event.target;
    if (radio.name !== "listing_id" || !radio.checked) { return; }
    var min = parseInt(radio.getAttribute("data-min-quantity"), 10) || 1;
    quantity.min = String(min);
    if ((parseInt(quantity.value, 10) || 0) < min) { quantity.value = String(min); }
  });
}());
