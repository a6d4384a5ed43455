// The family feature's pages (pages_family.cpp): family access to a file for its coordinator
// (/children/{id}/family), joining with an invitation code (/family/join), and a family account's
// own pages (/family, /family/children/{id}). The web kernel registers them
// (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_family_pages(WebApp& app);

}  // namespace arrimage::web
