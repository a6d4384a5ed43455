// The referral feature's pages (pages_referrals.cpp): the public referral form routed by the
// referral pathways, the receiving organisation's inbox and the closed loop with warm
// referrals, and the referrals a user sent. The web kernel registers them (WebApp::register_pages).
#pragma once

namespace arrimage::web {

class WebApp;
void register_referral_pages(WebApp& app);

}  // namespace arrimage::web
