// The plan feature's pages (pages_plan.cpp): a child's coordinated service plan at
// /children/{id}/plan. The web kernel registers them (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_plan_pages(WebApp& app);

}  // namespace arrimage::web
