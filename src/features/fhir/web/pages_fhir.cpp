// The FHIR R4 API (docs/FHIR.md): the OAuth 2.0 token endpoint (client credentials, RFC 6749),
// the CapabilityStatement and SMART configuration, and read and search of the resource types
// domain::fhir_resource_types() names. Every answer is JSON; every error under /fhir is an
// OperationOutcome in the language Accept-Language asks for.
//
// A call acts as the API client's organisation through its service account's membership: the
// pipeline mints the access context from it (Access::bearer), so the kernel's guard decides and
// audits each access to a child's file exactly as for a person of that organisation in that
// role. The token's scopes come on top: a scope that does not permit the interaction is a 403
// before anything is read.
//
// A Patient search gives no total (Bundle.total): the files are decided and recorded one page
// at a time, and a count of all of them would tell a client, search after search, which names
// and birth dates are in the registry without anything on record. Its `next` link is there
// when the page is full. The other types give their total.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/people.hpp"
#include "domain/search_text.hpp"
#include "features/fhir/domain/fhir.hpp"
#include "features/fhir/store/api_client_repo.hpp"
#include "features/fhir/web/fhir_pages.hpp"
#include "features/fhir/web/resources.hpp"
#include "http/message.hpp"
#include "interop/hsds.hpp"
#include "store/auth_repo.hpp"
#include "store/person_repo.hpp"
#include "web/app.hpp"

namespace arrimage::web {
namespace {

using nlohmann::json;
using store::TxMode;
namespace d = arrimage::domain;
namespace ix = arrimage::interop;

constexpr const char* fhir_json = "application/fhir+json; charset=utf-8";
constexpr const char* plain_json = "application/json; charset=utf-8";

// The address users reach the service at, without a trailing slash.
std::string public_base(const WebApp& app) {
    std::string b = app.config().public_base_url;
    while (!b.empty() && b.back() == '/') b.pop_back();
    return b;
}
std::string fhir_base(const WebApp& app) {
    return public_base(app) + "/fhir";
}

// What a client sent, quoted back in a diagnostic: at most `max` characters, cut between two
// characters (the request is valid UTF-8, and so stays the answer).
std::string clip(std::string_view s, std::size_t max = 64) {
    std::size_t chars = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
        if (chars++ == max) break;
    }
    return std::string(s.substr(0, i)) + (i < s.size() ? "…" : "");
}

std::optional<std::int64_t> positive_id(std::string_view s) {
    std::int64_t v = 0;
    if (s.empty() || s.size() > 18) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

std::string supported_types() {
    std::string out;
    for (const auto& t : d::fhir_resource_types()) out += (out.empty() ? "" : ", ") + t;
    return out;
}

// ---------------------------------------------------------------- answers

http::Response reply(int status, const json& body, const char* content_type = fhir_json) {
    http::Response r;
    r.status = status;
    r.content_type = content_type;
    r.body = body.dump();
    return r;
}

// An OperationOutcome with one issue, in the request's language; `parameters`: the request's
// parameters it is about (the issue's location).
http::Response outcome(Ctx& ctx, int status, const std::string& code, std::string_view key,
                       const std::vector<std::string>& args = {}, const std::vector<std::string>& parameters = {}) {
    return reply(status, fhir::operation_outcome(code, ctx.t(key, args), parameters));
}

// A search's refused parameters: one issue each, at most d::max_fhir_search_errors.
http::Response invalid_search(Ctx& ctx, const std::vector<d::FhirSearchError>& errors) {
    json out;
    json issues = json::array();
    for (const auto& e : errors) {
        if (issues.size() >= d::max_fhir_search_errors) break;
        std::vector<std::string> parameters;
        if (!e.parameter.empty()) parameters.push_back(e.parameter);
        auto one = fhir::operation_outcome("invalid", ctx.t(e.message_key, e.args), parameters);
        if (out.is_null()) out = one;
        for (auto& issue : one["issue"]) issues.push_back(std::move(issue));
    }
    out["issue"] = std::move(issues);
    return reply(400, out);
}

// A repository's refusal of a record, as the API answers it (the guard has recorded it).
http::Response refusal(Ctx& ctx, const Error& e, const std::string& type, std::int64_t id) {
    if (e.code == Errc::NotFound || e.code == Errc::Forbidden) ctx.commit_anyway = true;
    if (e.code == Errc::NotFound) return outcome(ctx, 404, "not-found", "fhir.error.not_found", {type, std::to_string(id)});
    if (e.code == Errc::Forbidden) return outcome(ctx, 403, "forbidden", "fhir.error.forbidden", {type, std::to_string(id)});
    return outcome(ctx, 500, "exception", "fhir.error.internal");
}

http::Response not_found(Ctx& ctx, const std::string& type, const std::string& id) {
    return outcome(ctx, 404, "not-found", "fhir.error.not_found", {type, clip(id)});
}

// ---------------------------------------------------------------- what every call checks

// "json", "application/json" and "application/fhir+json" (a '+' written unescaped in a query
// arrives as a space; "application/json+fhir" is the older spelling), in any case and with
// parameters such as charset.
bool json_media(std::string_view value) {
    std::string v = ascii_lower(trim(value.substr(0, value.find(';'))));
    return v == "json" || v == "application/json" || v == "application/fhir+json" || v == "application/fhir json" ||
           v == "application/json+fhir" || v == "application/json fhir";
}

bool accepts_json(const std::string& accept) {
    if (trim(accept).empty()) return true;
    for (const auto& part : split_on(accept, ',')) {
        const std::string range = ascii_lower(trim(std::string_view(part).substr(0, part.find(';'))));
        if (range == "*/*" || range == "application/*" || json_media(range)) return true;
    }
    return false;
}

// 406 when the client asks for anything but JSON (_format or Accept).
std::optional<http::Response> refuse_format(Ctx& ctx, const std::vector<std::pair<std::string, std::string>>& params) {
    for (const auto& [name, value] : params)
        if (name == "_format" && !json_media(value))
            return outcome(ctx, 406, "not-supported", "fhir.error.format", {clip(value)}, {"_format"});
    if (!accepts_json(ctx.req.header("accept"))) return outcome(ctx, 406, "not-supported", "fhir.error.accept");
    return std::nullopt;
}

std::vector<d::FhirScope> token_scopes(const Ctx& ctx) {
    if (!ctx.bearer) return {};
    auto parsed = d::parse_fhir_scopes(ctx.bearer->scopes);
    return parsed ? std::move(*parsed) : std::vector<d::FhirScope>{};
}

// A type this server serves, JSON, and a token whose scopes permit the interaction on the type.
std::optional<http::Response> precheck(Ctx& ctx, const std::string& type,
                                       const std::vector<std::pair<std::string, std::string>>& params,
                                       d::FhirInteraction interaction) {
    if (!d::fhir_supported(type))
        return outcome(ctx, 404, "not-supported", "fhir.error.unsupported_type", {clip(type), supported_types()});
    if (auto r = refuse_format(ctx, params)) return r;
    if (!d::fhir_permits(token_scopes(ctx), type, interaction)) {
        const bool searching = interaction == d::FhirInteraction::search;
        auto r = outcome(ctx, 403, "forbidden", searching ? "fhir.error.scope_search" : "fhir.error.scope_read", {type});
        // RFC 6750 section 3.1: the scope that would have been needed.
        r.set_header("WWW-Authenticate", "Bearer realm=\"arrimage\", error=\"insufficient_scope\", scope=\"system/" + type +
                                             (searching ? ".s" : ".r") + "\"");
        return r;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------- search results

struct Found {
    std::vector<json> resources;        // the page
    std::optional<std::int64_t> total;  // none for Patient (see the top of this file)
};

// Nothing found, for a type that gives its total.
Found none_found() {
    return {{}, 0};
}

// One page of records already filtered in memory (all of them are counted in the total).
template <typename T, typename Map>
Found page_of(const std::vector<const T*>& all, const d::FhirSearch& s, Map map) {
    Found out;
    out.total = static_cast<std::int64_t>(all.size());
    for (std::size_t i = static_cast<std::size_t>(s.offset); i < all.size() && out.resources.size() < std::size_t(s.count); ++i)
        out.resources.push_back(map(*all[i]));
    return out;
}

// Folded words: the runs of letters and digits of `text`, accents and case ignored (anything
// else separates words).
std::vector<std::string> folded_words(std::string_view text) {
    std::vector<std::string> out;
    std::string word;
    for (char c : d::fold(text)) {
        const auto u = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80) {
            word.push_back(c);
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
}

// FHIR's string search on `names`: by default every word asked starts a word of one of the
// names (accents and case ignored; a query of punctuation alone matches nothing); with
// name:contains, the query is any part of one of the names.
class NameMatch {
  public:
    explicit NameMatch(const d::FhirSearch& s) : asked_(s.name.has_value()), contains_(s.name_contains) {
        if (!s.name) return;
        if (contains_)
            folded_ = d::fold(*s.name);
        else
            words_ = folded_words(*s.name);
    }
    bool operator()(std::initializer_list<const std::string*> names) const {
        if (!asked_) return true;
        if (contains_) {
            for (const auto* n : names)
                if (d::fold(*n).find(folded_) != std::string::npos) return true;
            return false;
        }
        if (words_.empty()) return false;
        std::vector<std::string> all;
        for (const auto* n : names)
            for (auto& w : folded_words(*n)) all.push_back(std::move(w));
        return std::all_of(words_.begin(), words_.end(), [&](const std::string& q) {
            return std::any_of(all.begin(), all.end(), [&](const std::string& w) { return w.starts_with(q); });
        });
    }

  private:
    bool asked_, contains_;
    std::string folded_;
    std::vector<std::string> words_;
};

// What an identifier search asks of our ids in `system`: `none` when no id of ours can match
// (another system, no system at all: every identifier of ours has one, a value that is not one
// of our ids); else the id asked, if a value was given ("system|" asks any).
struct IdentifierAsk {
    bool none = false;
    std::optional<std::int64_t> id;
};
IdentifierAsk identifier_ask(const d::FhirSearch& s, const char* system) {
    if (!s.identifier_system && !s.identifier_value) return {};
    if (s.identifier_system && *s.identifier_system != system) return {true, std::nullopt};
    if (!s.identifier_value) return {};
    const auto id = positive_id(*s.identifier_value);
    if (!id) return {true, std::nullopt};
    return {false, id};
}

// The ids of `table`'s rows changed on or after `day` (YYYY-MM-DD; stored times are ISO text,
// which sorts as time does). `table` is one of ours, never the client's.
std::set<std::int64_t> changed_since(Ctx& ctx, const char* table, const std::string& day, const std::string& extra = {},
                                     const store::Params& extra_params = {}) {
    store::Params params{day};
    params.insert(params.end(), extra_params.begin(), extra_params.end());
    std::set<std::int64_t> out;
    for (const auto& r : ctx.tx.query(std::string("SELECT id FROM ") + table + " WHERE updated_at >= ?" + extra, params))
        out.insert(r.i64(0));
    return out;
}

// ---- Patient: the files the client may list, filtered and counted by the registry.

Found search_patients(Ctx& ctx, const d::FhirSearch& s) {
    if (s.matches_nothing) return {};
    store::PersonRepo::Filter f;
    if (s.name) {
        // A name of punctuation alone matches no word: nothing, rather than every file.
        if (d::name_query_words(*s.name).empty()) return {};
        f.query = *s.name;
    }
    f.id = s.id;
    const auto identified = identifier_ask(s, fhir::sid_person);
    if (identified.none) return {};
    if (identified.id) {
        if (f.id && *f.id != *identified.id) return {};
        f.id = identified.id;
    }
    if (s.birthdate) {
        f.birth_date = *s.birthdate;
        f.birth_date_bound = s.birthdate_prefix == "ge"   ? store::PersonRepo::BirthDateBound::on_or_after
                             : s.birthdate_prefix == "le" ? store::PersonRepo::BirthDateBound::on_or_before
                                                          : store::PersonRepo::BirthDateBound::on;
    }
    // The repository reads no further than the page: no total (see the top of this file).
    store::PersonRepo repo(*ctx.access);
    Found out;
    for (const auto& row : repo.list(f, s.count, s.offset)) out.resources.push_back(fhir::patient(row));
    return out;
}

// The identity part of the file only (the identity_contact decision, nothing else recorded).
http::Response read_patient(Ctx& ctx, std::int64_t id) {
    store::PersonRepo repo(*ctx.access);
    auto file = repo.read_identity(id);
    if (!file) return refusal(ctx, file.error(), "Patient", id);
    return reply(200, fhir::patient(*file));
}

// ---- RelatedPerson: a patient's family members, as the patient's file shows them.

// The file a family member belongs to. Which file a family member row belongs to says nothing
// about anyone by itself; what the member is comes only from the file, read through the guard.
std::optional<std::int64_t> file_of_member(Ctx& ctx, std::int64_t member_id) {
    auto r = ctx.tx.query_one("SELECT person_id FROM family_members WHERE id = ? AND active = 1", {member_id});
    if (!r) return std::nullopt;
    return r->i64(0);
}

http::Response read_related_person(Ctx& ctx, std::int64_t id) {
    const auto person = file_of_member(ctx, id);
    if (!person) return not_found(ctx, "RelatedPerson", std::to_string(id));
    store::PersonRepo repo(*ctx.access);
    auto file = repo.read_identity(*person);
    // Not found unless the file may be read, whatever the refusal: the member's existence and
    // file stay unknown to whoever may not see it.
    if (!file) {
        ctx.commit_anyway = true;
        return not_found(ctx, "RelatedPerson", std::to_string(id));
    }
    for (const auto& m : file->family)
        if (m.id == id) return reply(200, fhir::related_person(*person, m));
    return not_found(ctx, "RelatedPerson", std::to_string(id));
}

std::optional<http::Response> needs_patient(Ctx& ctx, const d::FhirSearch& s) {
    // matches_nothing: a patient or an _id that is none of ours was given.
    if (s.patient || s.id || s.matches_nothing) return std::nullopt;
    return outcome(ctx, 400, "invalid", "fhir.error.related_person_needs_patient", {}, {"patient"});
}

Found search_related_people(Ctx& ctx, const d::FhirSearch& s) {
    if (s.matches_nothing) return none_found();
    std::optional<std::int64_t> person = s.patient;
    if (s.id) {
        const auto of = file_of_member(ctx, *s.id);
        if (!of || (person && *person != *of)) return none_found();
        person = of;
    }
    store::PersonRepo repo(*ctx.access);
    auto file = repo.read_identity(*person);
    // A patient the client may not see has no family members to find (the refusal is recorded).
    if (!file) return none_found();
    std::set<std::int64_t> changed;
    if (s.last_updated_ge) changed = changed_since(ctx, "family_members", *s.last_updated_ge, " AND person_id = ?", {*person});
    const NameMatch named(s);
    std::vector<const store::FamilyMemberRow*> kept;
    for (const auto& m : file->family) {
        if (s.id && m.id != *s.id) continue;
        if (!named({&m.given_name, &m.family_name})) continue;
        if (s.last_updated_ge && !changed.contains(m.id)) continue;
        kept.push_back(&m);
    }
    return page_of(kept, s, [&](const store::FamilyMemberRow& m) { return fhir::related_person(*person, m); });
}

// ---- the public directory: Organization, Location, HealthcareService

constexpr std::int64_t no_upper_bound = std::numeric_limits<std::int64_t>::max();

// The public records of one kind: all of them, or the one with `id`.
ix::DirectorySnapshot directory(Ctx& ctx, ix::DirectoryRange::Kind kind, std::optional<std::int64_t> id = std::nullopt) {
    return ix::load_directory(ctx.tx, {kind, id ? *id : 0, id ? *id : no_upper_bound});
}

Found search_organizations(Ctx& ctx, const d::FhirSearch& s) {
    const auto identified = identifier_ask(s, fhir::sid_organization);
    if (s.matches_nothing || identified.none) return none_found();
    const auto dir = directory(ctx, ix::DirectoryRange::Kind::organisations);
    std::set<std::int64_t> changed;
    if (s.last_updated_ge) changed = changed_since(ctx, "organisations", *s.last_updated_ge);
    const NameMatch named(s);
    std::vector<const ix::DirOrganisation*> kept;
    for (const auto& o : dir.organisations) {
        if (s.id && o.id != *s.id) continue;
        if (identified.id && o.id != *identified.id) continue;
        if (!named({&o.name_fr, &o.name_en})) continue;
        if (s.last_updated_ge && !changed.contains(o.id)) continue;
        kept.push_back(&o);
    }
    return page_of(kept, s, [&](const ix::DirOrganisation& o) { return fhir::organization(o, ctx.lang); });
}

Found search_locations(Ctx& ctx, const d::FhirSearch& s) {
    if (s.matches_nothing) return none_found();
    const auto dir = directory(ctx, ix::DirectoryRange::Kind::locations);
    std::set<std::int64_t> changed;
    if (s.last_updated_ge) changed = changed_since(ctx, "sites", *s.last_updated_ge);
    const NameMatch named(s);
    std::vector<const ix::DirLocation*> kept;
    for (const auto& l : dir.locations) {
        if (s.id && l.id != *s.id) continue;
        if (s.organization && l.organisation_id != *s.organization) continue;
        if (!named({&l.name_fr, &l.name_en})) continue;
        if (s.last_updated_ge && !changed.contains(l.id)) continue;
        kept.push_back(&l);
    }
    return page_of(kept, s, [&](const ix::DirLocation& l) { return fhir::location(l, ctx.lang); });
}

Found search_services(Ctx& ctx, const d::FhirSearch& s) {
    if (s.matches_nothing) return none_found();
    const auto dir = directory(ctx, ix::DirectoryRange::Kind::services);
    std::set<std::int64_t> changed;
    if (s.last_updated_ge) changed = changed_since(ctx, "services", *s.last_updated_ge);
    const NameMatch named(s);
    std::vector<const ix::DirService*> kept;
    for (const auto& sv : dir.services) {
        if (s.id && sv.id != *s.id) continue;
        if (s.organization && sv.organisation_id != *s.organization) continue;
        if (!named({&sv.name_fr, &sv.name_en})) continue;
        if (s.last_updated_ge && !changed.contains(sv.id)) continue;
        kept.push_back(&sv);
    }
    return page_of(kept, s, [&](const ix::DirService& sv) { return fhir::healthcare_service(sv, dir, ctx.lang); });
}

http::Response read_directory(Ctx& ctx, const std::string& type, std::int64_t id) {
    if (type == "Organization") {
        const auto dir = directory(ctx, ix::DirectoryRange::Kind::organisations, id);
        for (const auto& o : dir.organisations)
            if (o.id == id) return reply(200, fhir::organization(o, ctx.lang));
    } else if (type == "Location") {
        const auto dir = directory(ctx, ix::DirectoryRange::Kind::locations, id);
        for (const auto& l : dir.locations)
            if (l.id == id) return reply(200, fhir::location(l, ctx.lang));
    } else if (type == "HealthcareService") {
        const auto dir = directory(ctx, ix::DirectoryRange::Kind::services, id);
        for (const auto& sv : dir.services)
            if (sv.id == id) return reply(200, fhir::healthcare_service(sv, dir, ctx.lang));
    }
    return not_found(ctx, type, std::to_string(id));
}

// ---------------------------------------------------------------- read and search

// The search's own parameters for the Bundle's links (searchset adds _count and _offset).
std::string own_query(const std::vector<std::pair<std::string, std::string>>& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (name == "_count" || name == "_offset") continue;
        out += (out.empty() ? "" : "&") + percent_encode(name) + "=" + percent_encode(value);
    }
    return out;
}

http::Response search_with(Ctx& ctx, std::vector<std::pair<std::string, std::string>> params) {
    const std::string type = ctx.req.params["type"];
    if (auto r = precheck(ctx, type, params, d::FhirInteraction::search)) return *r;
    // The domain takes the JSON media types as written; any of them is asked as "json".
    auto asked = params;
    for (auto& [name, value] : asked)
        if (name == "_format") value = "json";
    const auto [parsed, errors] = d::parse_fhir_search(type, asked, fhir_base(ctx.app));
    if (!parsed) return invalid_search(ctx, errors);
    const auto& s = *parsed;
    // _count=0 asks for the total alone, and a Patient search has none.
    if (s.count == 0 && type == "Patient") return outcome(ctx, 400, "invalid", "fhir.error.patient_no_total", {}, {"_count"});
    Found found;
    if (type == "Patient") {
        found = search_patients(ctx, s);
    } else if (type == "RelatedPerson") {
        if (auto r = needs_patient(ctx, s)) return *r;
        found = search_related_people(ctx, s);
    } else if (type == "Organization") {
        found = search_organizations(ctx, s);
    } else if (type == "Location") {
        found = search_locations(ctx, s);
    } else if (type == "HealthcareService") {
        found = search_services(ctx, s);
    }
    auto bundle =
        fhir::searchset(fhir_base(ctx.app), type, own_query(params), std::move(found.resources), found.total, s.count, s.offset);
    if (s.count == 0) {
        // The total alone: no entries, and no page to link to.
        bundle.erase("entry");
        bundle.erase("link");
    }
    return reply(200, bundle);
}

http::Response search(Ctx& ctx) {
    return search_with(ctx, ctx.req.query);
}

// Whether a Content-Type is that of a form, without regard to case (RFC 9110 section 8.3.1),
// with or without parameters.
bool form_media(std::string_view content_type) {
    return ascii_lower(trim(content_type.substr(0, content_type.find(';')))) == "application/x-www-form-urlencoded";
}

// POST [type]/_search: the parameters in the body (urlencoded), with those of the query. The
// body is read here, whatever the pipeline made of it: a body (or a Content-Type) other than a
// form's is refused, never searched as if nothing had been asked. Without a body nor a
// Content-Type, the query's parameters alone.
http::Response search_posted(Ctx& ctx) {
    const std::string content_type = ctx.req.header("content-type");
    auto params = ctx.req.query;
    if (!ctx.req.body.empty() || !content_type.empty()) {
        if (!form_media(content_type)) return outcome(ctx, 400, "invalid", "fhir.error.search_body");
        auto body = http::parse_urlencoded(ctx.req.body);
        if (!body) return outcome(ctx, 400, "invalid", "fhir.error.search_body");
        params.insert(params.end(), body->begin(), body->end());
    }
    return search_with(ctx, std::move(params));
}

http::Response read(Ctx& ctx) {
    const std::string type = ctx.req.params["type"];
    const std::string raw_id = ctx.req.params["id"];
    if (auto r = precheck(ctx, type, ctx.req.query, d::FhirInteraction::read)) return *r;
    const auto id = positive_id(raw_id);
    if (!id) return not_found(ctx, type, raw_id);
    if (type == "Patient") return read_patient(ctx, *id);
    if (type == "RelatedPerson") return read_related_person(ctx, *id);
    return read_directory(ctx, type, *id);
}

// Writes are not offered yet: an OperationOutcome rather than the router's page.
http::Response write(Ctx& ctx) {
    auto r = outcome(ctx, 405, "not-supported", "fhir.error.write");
    r.set_header("Allow", "GET");
    return r;
}

// ---------------------------------------------------------------- CapabilityStatement

// The CapabilityStatement's date: when what it says last changed (a release's date, not the
// time of the request).
constexpr const char* capability_date = "2026-12-07";

struct SearchParamDoc {
    const char* name;
    const char* type;     // FHIR search parameter type
    const char* example;  // a value the domain accepts, to ask whether it takes the parameter
    const char* key;      // its documentation
};
const std::vector<SearchParamDoc>& search_param_docs() {
    static const std::vector<SearchParamDoc> v = {
        {"_id", "token", "1", "fhir.capability.param.id"},
        {"_lastUpdated", "date", "ge2020-01-01", "fhir.capability.param.last_updated"},
        {"identifier", "token", "1", "fhir.capability.param.identifier"},
        {"name", "string", "a", nullptr},  // per type: name_doc_key
        {"birthdate", "date", "2010-01-01", "fhir.capability.param.birthdate"},
        {"patient", "reference", "1", "fhir.capability.param.patient"},
        {"organization", "reference", "1", "fhir.capability.param.organization"},
    };
    return v;
}

// How each type's names are searched: a Patient's by the registry (the start of a word, no
// modifier); a family member's given and family names and the directory's names in both
// languages in memory (the start of a word, or any part with name:contains).
const char* name_doc_key(const std::string& type) {
    if (type == "Patient") return "fhir.capability.param.name_patient";
    if (type == "RelatedPerson") return "fhir.capability.param.name_related_person";
    return "fhir.capability.param.name_directory";
}

const char* resource_doc_key(const std::string& type) {
    if (type == "Patient") return "fhir.capability.patient";
    if (type == "RelatedPerson") return "fhir.capability.related_person";
    if (type == "Organization") return "fhir.capability.organization";
    if (type == "Location") return "fhir.capability.location";
    return "fhir.capability.healthcare_service";
}

json capability_statement(Ctx& ctx) {
    const std::string base = public_base(ctx.app);
    json resources = json::array();
    for (const auto& type : d::fhir_resource_types()) {
        json params = json::array();
        // Exactly what the domain's search accepts for the type: each parameter is offered to it.
        for (const auto& p : search_param_docs()) {
            const auto accepted = d::parse_fhir_search(type, {{p.name, p.example}});
            if (!accepted.second.empty()) continue;
            const char* key = p.key ? p.key : name_doc_key(type);
            params.push_back({{"name", p.name}, {"type", p.type}, {"documentation", ctx.t(key)}});
        }
        resources.push_back({
            {"type", type},
            {"profile", "http://hl7.org/fhir/StructureDefinition/" + type},
            {"documentation", ctx.t(resource_doc_key(type))},
            {"interaction", json::array({{{"code", "read"}}, {{"code", "search-type"}}})},
            {"versioning", "no-version"},
            {"readHistory", false},
            {"updateCreate", false},
            {"conditionalCreate", false},
            {"conditionalRead", "not-supported"},
            {"conditionalUpdate", false},
            {"conditionalDelete", "not-supported"},
            {"searchParam", std::move(params)},
        });
    }
    // SMART on FHIR, described by the discovery document (/.well-known/smart-configuration);
    // no oauth-uris extension: it requires an authorize URL, and client credentials have none.
    const json security = {
        {"service",
         json::array({{{"coding", json::array({{{"system", "http://terminology.hl7.org/CodeSystem/restful-security-service"},
                                                {"code", "SMART-on-FHIR"},
                                                {"display", "SMART-on-FHIR"}}})},
                       {"text", "OAuth 2.0 client credentials, SMART v2 system scopes"}}})},
        {"description",
         ctx.t("fhir.capability.security", {base + "/fhir/.well-known/smart-configuration", base + "/oauth/token"})},
    };
    return {
        {"resourceType", "CapabilityStatement"},
        {"language", std::string(code(ctx.lang))},
        {"name", "ArrimageFhirApi"},
        {"title", ctx.t("fhir.capability.title")},
        {"status", "active"},
        {"experimental", false},
        {"date", capability_date},
        {"description", ctx.t("fhir.capability.description")},
        {"kind", "instance"},
        {"software", {{"name", "Arrimage"}}},
        {"implementation", {{"description", ctx.t("fhir.capability.implementation")}, {"url", base + "/fhir"}}},
        {"fhirVersion", "4.0.1"},
        {"format", json::array({"json"})},
        {"rest", json::array({{{"mode", "server"},
                               {"documentation", ctx.t("fhir.capability.rest")},
                               {"security", security},
                               {"resource", std::move(resources)}}})},
    };
}

http::Response metadata(Ctx& ctx) {
    if (auto r = refuse_format(ctx, ctx.req.query)) return *r;
    return reply(200, capability_statement(ctx));
}

// SMART App Launch 2.0 discovery, for a client that only has the FHIR base.
http::Response smart_configuration(Ctx& ctx) {
    json scopes = json::array({"system/*.rs"});
    for (const auto& type : d::fhir_resource_types())
        for (const char* letters : {".rs", ".r", ".s"}) scopes.push_back("system/" + type + letters);
    return reply(200,
                 {
                     {"token_endpoint", public_base(ctx.app) + "/oauth/token"},
                     {"grant_types_supported", json::array({"client_credentials"})},
                     {"token_endpoint_auth_methods_supported", json::array({"client_secret_basic", "client_secret_post"})},
                     {"scopes_supported", std::move(scopes)},
                     {"capabilities", json::array({"client-confidential-symmetric", "permission-v2", "permission-v1"})},
                 },
                 plain_json);
}

// ---------------------------------------------------------------- the token endpoint

// RFC 6749 section 5: JSON, never cached.
http::Response token_reply(int status, const json& body) {
    auto r = reply(status, body, plain_json);
    r.set_header("Cache-Control", "no-store");
    r.set_header("Pragma", "no-cache");
    return r;
}

// An error of RFC 6749 section 5.2. `basic`: the client authenticated with HTTP Basic, and a
// 401 then carries the Basic challenge (the RFC asks for it only then: a client that sent its
// secret in the body is not asked for Basic credentials, and a browser gets no sign-in box).
http::Response token_error(Ctx& ctx, int status, const std::string& error, std::string_view key,
                           const std::vector<std::string>& args = {}, bool basic = false) {
    auto r = token_reply(status, {{"error", error}, {"error_description", ctx.t(key, args)}});
    if (status == 401 && basic) r.set_header("WWW-Authenticate", "Basic realm=\"arrimage\"");
    return r;
}

// Whether the request comes from a browser: browsers send a Cookie, Origin or Sec-Fetch-Site
// header with requests of their pages, machine clients do not. The token endpoint serves
// machine clients only; a page elsewhere could otherwise have its visitors' browsers try
// secrets from their addresses (and use up those addresses' allowance of failures).
bool from_a_browser(const Ctx& ctx) {
    for (const char* name : {"cookie", "origin", "sec-fetch-site"})
        if (ctx.req.headers.contains(name)) return true;
    return false;
}

// HTTP Basic credentials (RFC 7617), each part form-urlencoded (RFC 6749 section 2.3.1).
enum class Basic { absent, malformed, given };
Basic basic_credentials(const std::string& header, std::string& id, std::string& secret) {
    const auto space = header.find(' ');
    if (header.empty() || space == std::string::npos || ascii_lower(header.substr(0, space)) != "basic") return Basic::absent;
    std::string b64 = trim(std::string_view(header).substr(space + 1));
    for (int pad = 0; pad < 2 && !b64.empty() && b64.back() == '='; ++pad) b64.pop_back();
    for (auto& c : b64) {
        if (c == '+')
            c = '-';
        else if (c == '/')
            c = '_';
        else if (c == '-' || c == '_')
            return Basic::malformed;  // not the standard alphabet
    }
    const auto decoded = from_base64url(b64);
    if (!decoded) return Basic::malformed;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return Basic::malformed;
    const auto i = percent_decode(std::string_view(*decoded).substr(0, colon), true);
    const auto s = percent_decode(std::string_view(*decoded).substr(colon + 1), true);
    if (!i || !s || !valid_utf8(*i) || !valid_utf8(*s)) return Basic::malformed;
    id = *i;
    secret = *s;
    return Basic::given;
}

// Failed client authentications are counted per client address with the sign-in's throttle
// (login_failures, Config::max_failures_per_address within Config::throttle_window), under a
// key of their own so that they and failed sign-ins do not use up each other's allowance.
std::string throttle_key(const Ctx& ctx) {
    return "oauth-token " + ctx.req.remote_addr;
}

http::Response token(Ctx& ctx) {
    const auto& cfg = ctx.app.config();
    // Refused before anything else: no secret is checked and no failure counted.
    if (from_a_browser(ctx)) return token_error(ctx, 400, "invalid_request", "fhir.token.browser");
    if (!ctx.form_ok || !form_media(ctx.req.header("content-type")))
        return token_error(ctx, 400, "invalid_request", "fhir.token.body");
    for (const char* name : {"grant_type", "client_id", "client_secret", "scope"})
        if (ctx.form_all(name).size() > 1) return token_error(ctx, 400, "invalid_request", "fhir.token.duplicate", {name});
    const std::string grant = ctx.form("grant_type");
    if (grant.empty()) return token_error(ctx, 400, "invalid_request", "fhir.token.grant_type_missing");
    if (grant != "client_credentials")
        return token_error(ctx, 400, "unsupported_grant_type", "fhir.token.unsupported_grant_type", {clip(grant)});

    std::string client_id = ctx.form("client_id"), secret = ctx.form("client_secret");
    std::string basic_id, basic_secret;
    const auto basic = basic_credentials(ctx.req.header("authorization"), basic_id, basic_secret);
    switch (basic) {
        case Basic::malformed:
            return token_error(ctx, 400, "invalid_request", "fhir.token.basic_malformed");
        case Basic::given:
            if (!secret.empty()) return token_error(ctx, 400, "invalid_request", "fhir.token.two_methods");
            if (!client_id.empty() && client_id != basic_id)
                return token_error(ctx, 400, "invalid_request", "fhir.token.client_mismatch");
            client_id = basic_id;
            secret = basic_secret;
            break;
        case Basic::absent:
            break;
    }

    const bool used_basic = basic == Basic::given;

    auto auth = ctx.auth();
    const std::string key = throttle_key(ctx);
    // Throttled: 429 with temporarily_unavailable. RFC 6749 section 5.2 lists no error for this
    // at the token endpoint; temporarily_unavailable is its word for a server that cannot take
    // the request now (section 4.1.2.1), and 429 with Retry-After (RFC 6585) says when to come
    // back. Clients treat it as any error: no token.
    if (auth.count_failures("address", key, ctx.app.clock().now() - cfg.throttle_window) >= cfg.max_failures_per_address) {
        auto r = token_error(ctx, 429, "temporarily_unavailable", "fhir.token.throttled",
                             {std::to_string(cfg.throttle_window.count())});
        r.set_header("Retry-After",
                     std::to_string(std::chrono::duration_cast<std::chrono::seconds>(cfg.throttle_window).count()));
        return r;
    }
    if (client_id.empty() || secret.empty())
        return token_error(ctx, 401, "invalid_client", "fhir.token.invalid_client", {}, used_basic);

    store::ApiClientRepo repo(ctx.tx, ctx.app.clock(), ctx.app.random(), cfg.password_cost);
    const auto issued = repo.issue_token(client_id, secret, ctx.form("scope"));
    if (const auto* refused = std::get_if<store::TokenRefusal>(&issued)) {
        if (*refused == store::TokenRefusal::invalid_scope)
            return token_error(ctx, 400, "invalid_scope", "fhir.token.invalid_scope");
        auth.record_failure("address", key);
        ctx.commit_anyway = true;  // the failure is counted
        return token_error(ctx, 401, "invalid_client", "fhir.token.invalid_client", {}, used_basic);
    }
    const auto& t = std::get<store::IssuedToken>(issued);
    return token_reply(200, {{"access_token", t.access_token},
                             {"token_type", "Bearer"},
                             {"expires_in", t.expires_in},
                             {"scope", d::format_fhir_scopes(t.scopes)}});
}

// ---------------------------------------------------------------- bearer authentication

BearerAuth bearer_auth(WebApp& app) {
    BearerAuth auth;
    auth.authenticate = [&app](store::Tx& tx, std::string_view token) -> std::optional<BearerCaller> {
        store::ApiClientRepo repo(tx, app.clock(), app.random(), app.config().password_cost);
        auto caller = repo.authenticate(token);
        if (!caller) return std::nullopt;
        BearerCaller out;
        out.client_id = caller->client_id;
        out.name = caller->name;
        out.user_id = caller->user_id;
        out.organisation_id = caller->organisation_id;
        out.role = caller->role;
        out.scopes = d::format_fhir_scopes(caller->scopes);
        out.last_used_at = caller->last_used_at;
        return out;
    };
    auth.touch = [&app](store::Tx& tx, std::int64_t client_id) {
        store::ApiClientRepo(tx, app.clock(), app.random(), app.config().password_cost).touch(client_id);
    };
    auth.refuse = [](Ctx& ctx, int status) { return outcome(ctx, status, "login", "fhir.error.login"); };
    // The pipeline's own errors under /fhir (no such route, a method not offered, a request it
    // could not read, the database unavailable) as OperationOutcomes too.
    auth.api_path = "/fhir";
    auth.error = [&app](Lang lang, int status) {
        const auto [code, key] = [status]() -> std::pair<const char*, const char*> {
            switch (status) {
                case 404:
                    return {"not-found", "fhir.error.no_such_path"};
                case 405:
                    return {"not-supported", "fhir.error.method"};
                case 400:
                case 408:
                case 431:
                    return {"invalid", "fhir.error.bad_request"};
                case 413:
                    return {"too-costly", "fhir.error.too_large"};
                case 503:
                    return {"transient", "fhir.error.unavailable"};
                default:
                    return {"exception", "fhir.error.internal"};
            }
        }();
        return reply(status, fhir::operation_outcome(code, app.catalogue().t(lang, key)));
    };
    return auth;
}

}  // namespace

void register_fhir_pages(WebApp& app) {
    app.set_bearer_auth(bearer_auth(app));
    // The router takes the first route that matches, in this order: the literal paths under
    // /fhir come before /fhir/{type} and /fhir/{type}/{id}.
    app.route("GET", "/fhir/metadata", {"fhir/metadata", Access::open, TxMode::read, metadata});
    app.route("GET", "/fhir/.well-known/smart-configuration",
              {"fhir/smart-configuration", Access::open, TxMode::read, smart_configuration});
    app.route("GET", "/.well-known/smart-configuration",
              {"smart-configuration", Access::open, TxMode::read, smart_configuration});
    app.route("POST", "/oauth/token", {"oauth/token", Access::open, TxMode::write, token});
    app.route("GET", "/fhir/{type}", {"fhir/search", Access::bearer, TxMode::read, search});
    app.route("POST", "/fhir/{type}/_search", {"fhir/search", Access::bearer, TxMode::read, search_posted});
    app.route("GET", "/fhir/{type}/{id}", {"fhir/read", Access::bearer, TxMode::read, read});
    for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
        app.route(method, "/fhir", {"fhir/write", Access::bearer, TxMode::read, write});
        app.route(method, "/fhir/{type}", {"fhir/write", Access::bearer, TxMode::read, write});
        app.route(method, "/fhir/{type}/{id}", {"fhir/write", Access::bearer, TxMode::read, write});
    }
}

}  // namespace arrimage::web
