#pragma once
// What the registry's pages share (pages_people.cpp, pages_consent.cpp): the grant a user acts
// under, the access-controlled repository built from it, and how a refusal is answered.
#include <algorithm>
#include <optional>
#include <string>

#include "domain/people.hpp"
#include "store/person_repo.hpp"
#include "web/app.hpp"

namespace arrimage::web::people_pages {

inline const std::string& pick(const Ctx& ctx, const std::string& fr, const std::string& en) {
    return ctx.lang == Lang::fr ? fr : en;
}

inline std::string file_href(std::int64_t id) {
    return "/children/" + std::to_string(id);
}

// The membership the user acts under (Ctx::acting) when its role may use the registry.
inline std::optional<domain::Grant> acting_grant(const Ctx& ctx) {
    if (ctx.acting && domain::may_use_registry(ctx.acting->role)) return ctx.acting;
    return std::nullopt;
}

inline bool is_coordinating_agency(Ctx& ctx, std::int64_t organisation_id) {
    auto o = ctx.identity().find_organisation(organisation_id);
    const std::string agency(domain::code(domain::CspRole::coordinating_agency));
    return o && o->active && std::find(o->csp_roles.begin(), o->csp_roles.end(), agency) != o->csp_roles.end();
}

// Registers files: a role that may (people.hpp) working for an active coordinating agency.
inline bool can_register(Ctx& ctx, const domain::Grant& g) {
    return domain::may_register(g.role) && is_coordinating_agency(ctx, g.organisation_id);
}

// The registry as the request's access context (made by the pipeline) sees it.
inline store::PersonRepo people(Ctx& ctx) {
    return store::PersonRepo(*ctx.access);
}

// A refusal from a repository (WebApp::refused).
inline http::Response refused(Ctx& ctx, const Error& e) {
    return ctx.app.refused(ctx, e);
}

// The page a user on the file gets when the policy refuses it (403): the refusal, and for
// roles that may break the glass the form to open emergency access (pages_consent.cpp).
http::Response refused_with_break_glass(Ctx& ctx, const domain::Grant& g, std::int64_t person_id);

// The consent record in plain language, as the family's summary gives it (pages_consent.cpp,
// and the family's own consent page): a directive (organisations, categories, purposes, from,
// until, given_by), and the lockbox entries in effect as sentences, newest last.
nlohmann::json plain_directive(const Ctx& ctx, const store::ConsentRecord& r, const domain::ConsentDirective& x, TimePoint now);
nlohmann::json plain_lockbox(const Ctx& ctx, const store::ConsentRecord& r, TimePoint now);
// Whether a directive still counts: neither withdrawn nor expired.
bool consent_current(const domain::ConsentDirective& x, TimePoint now);
// An organisation the record names, in the reader's language.
std::string consent_organisation(const Ctx& ctx, const store::ConsentRecord& r, std::int64_t id);

}  // namespace arrimage::web::people_pages
