// The API's documentation page: Swagger UI on the app's own copy of the spec (no inline script,
// no network beyond the app).
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: node.getAttribute("data-spec-url"),
    domNode: node,
    deepLinking: true,
    validatorUrl: null,
  });
})();
