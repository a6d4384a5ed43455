// The network feature's pages: integration maturity (pages_maturity.cpp, and the /network page
// that leads to the feature's parts), the community plans registry (pages_community_plans.cpp),
// the network map (pages_network_map.cpp) and capacity building (pages_training.cpp,
// pages_tools.cpp, pages_outreach.cpp). The web
// kernel registers them (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_maturity_pages(WebApp& app);
void register_community_plan_pages(WebApp& app);
void register_network_map_pages(WebApp& app);
void register_training_pages(WebApp& app);
void register_outreach_pages(WebApp& app);
void register_tool_pages(WebApp& app);

}  // namespace arrimage::web
