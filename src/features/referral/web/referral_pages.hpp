// The referral feature's pages (pages_referrals.cpp): the public referral form routed by the
// referral pathways, the receiving organisation's inbox and the closed loop with warm
// referrals, and the referrals a user sent. The web kernel registers them (WebApp::register_pages);
// other features' pages that decline a referral (the intake's "not eligible") use the helpers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "features/referral/store/referral_repo.hpp"
#include "web/app.hpp"

namespace arrimage::web {

class WebApp;
void register_referral_pages(WebApp& app);

namespace referral_pages {
// Random bits for a referral's public reference.
std::uint64_t random_bits(Ctx& ctx);
// The signed-in staff member as a referral records its referrer.
store::Referrer referrer_of(Ctx& ctx);
// A pathway as a choice of warm referral: need, mechanism, where it leads, its notes.
std::string pathway_label(const Ctx& ctx, const store::PathwayRow& p);
// The emails of a decline written to the outbox: to the organisation it was sent on to
// (`sent_on`, a warm referral), and to whoever follows the referral.
void notify_declined(Ctx& ctx, store::ReferralRepo& repo, std::int64_t id, std::optional<std::int64_t> sent_on);
}  // namespace referral_pages

}  // namespace arrimage::web
