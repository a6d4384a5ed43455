// The complaints feature's pages (pages_complaints.cpp): the register at /complaints, the form
// to raise one (public, family account, provider staff), each complaint's page and the area's
// deadlines. The web kernel registers them (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_complaint_pages(WebApp& app);

}  // namespace arrimage::web
