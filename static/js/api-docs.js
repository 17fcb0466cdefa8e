// Starts Swagger UI on /api/docs from the vendored bundle; the page carries the OpenAPI address in data-openapi-url.
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
