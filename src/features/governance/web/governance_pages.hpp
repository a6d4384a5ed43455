// The governance feature's pages (pages_governance.cpp): committees, meetings, the decisions log
// and yearly reports at /governance. The web kernel registers them (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_governance_pages(WebApp& app);

}  // namespace arrimage::web
