// The FHIR feature's routes (pages_fhir.cpp, docs/FHIR.md): the FHIR R4 API under /fhir (the
// CapabilityStatement, read and search of the resource types domain::fhir_resource_types()
// names), the OAuth 2.0 token endpoint at /oauth/token, and the administrators' pages for API
// clients at /admin/api-clients (pages_api_clients.cpp). register_fhir_pages also installs the
// pipeline's bearer authentication (WebApp::set_bearer_auth). The web kernel registers them
// (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_fhir_pages(WebApp& app);
void register_api_client_pages(WebApp& app);

}  // namespace arrimage::web
