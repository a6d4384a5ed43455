// The reporting feature's pages (pages_reports.cpp): indicators and quarterly reports at
// /reports and /indicators. The web kernel registers them (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_report_pages(WebApp& app);

}  // namespace arrimage::web
