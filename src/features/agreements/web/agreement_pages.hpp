// The agreements feature's pages (pages_agreements.cpp): the registry at /agreements. The web
// kernel registers them (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_agreement_pages(WebApp& app);

}  // namespace arrimage::web
