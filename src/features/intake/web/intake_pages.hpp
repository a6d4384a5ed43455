// The intake feature's pages (pages_intake.cpp): the coordinating agency's intake queue, one
// intake with the family's story, the area's rules applied and the decision, and the area's
// rules themselves. The web kernel registers them (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_intake_pages(WebApp& app);

}  // namespace arrimage::web
