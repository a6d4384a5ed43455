// The plan feature's pages (pages_plan.cpp): a child's coordinated service plan at
// /children/{id}/plan. The web kernel registers them (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_plan_pages(WebApp& app);
// The plan printed and as a PDF (/children/{id}/plan/print, /children/{id}/plan.pdf) and two of
// its versions side by side (/children/{id}/plan/versions): pages_plan_print.cpp.
void register_plan_print_pages(WebApp& app);

}  // namespace arrimage::web
