// The children and youth registry: the list of files the signed-in user may see (with a name
// search), registration with its duplicate warning step, and the file summary. Every page that
// shows personal information goes through store::PersonRepo, which decides and audits; those
// routes are write transactions because the audit rows are written in them, and a refusal is
// committed (ctx.commit_anyway) so that its audit row is kept.
#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/people.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/referral/store/referral_repo.hpp"
#include "store/person_repo.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/people_common.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

constexpr int page_size = 50;

using namespace people_pages;

std::string display_name(const std::string& given, const std::string& family, const std::string& preferred) {
    std::string out = given + " " + family;
    if (!preferred.empty() && preferred != given) out += " (" + preferred + ")";
    return out;
}

std::string withheld_notice(const Ctx& ctx, d::Category c) {
    return ctx.t("people.withheld_notice", {ctx.t("privacy.category." + std::string(d::code(c)))});
}

// ---------------------------------------------------------------- list

http::Response list(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden());
    const std::string q = trim(ctx.req.query_param("q"));
    int page = 1;
    if (auto p = d::parse_id(ctx.req.query_param("page")); p && *p < 10000) page = static_cast<int>(*p);
    auto rows = people(ctx).list(q, page_size + 1, (page - 1) * page_size);
    const bool more = rows.size() > static_cast<std::size_t>(page_size);
    if (more) rows.pop_back();
    json items = json::array();
    for (const auto& r : rows) {
        json item = {{"href", file_href(r.id)},
                     {"relationship", ctx.t("privacy.relationship." + std::string(d::code(r.relationship)))}};
        if (r.withheld) {
            item["withheld"] = true;
            item["name"] = ctx.t("people.file_number", {std::to_string(r.id)});
            item["notice"] = withheld_notice(ctx, d::Category::identity_contact);
        } else {
            item["name"] = r.family_name + ", " + r.given_name + (r.preferred_name.empty() ? "" : " (" + r.preferred_name + ")");
            item["dob"] = r.date_of_birth;
        }
        items.push_back(item);
    }
    json model = {{"heading", ctx.t("people.list_title")}, {"q", q}, {"people", items}, {"searched", !q.empty()}};
    if (can_register(ctx, *g)) model["new_href"] = "/children/new";
    if (ctx.principal.has(d::Role::privacy_officer)) model["review_href"] = "/privacy/break-glass";
    if (more) model["next_href"] = "/children?q=" + percent_encode(q) + "&page=" + std::to_string(page + 1);
    if (page > 1) model["prev_href"] = "/children?q=" + percent_encode(q) + "&page=" + std::to_string(page - 1);
    return ctx.app.page(ctx, "people.list_title", "people_list", model);
}

// ---------------------------------------------------------------- registration

struct RegistrationInput {
    d::PersonForm person;
    d::FamilyMemberForm contact;
    bool confirm_distinct = false;
    std::string referral_id;  // the referral the file is opened from, if any
};

RegistrationInput registration_input(const Ctx& ctx) {
    RegistrationInput in;
    auto& p = in.person;
    p.given_name = ctx.form("given_name");
    p.family_name = ctx.form("family_name");
    p.preferred_name = ctx.form("preferred_name");
    p.date_of_birth = ctx.form("date_of_birth");
    p.preferred_language = ctx.form("preferred_language");
    p.official_language = ctx.form("official_language");
    p.school = ctx.form("school");
    p.phone = ctx.form("phone");
    p.email = ctx.form("email");
    p.address = ctx.form("address");
    p.postal_code = ctx.form("postal_code");
    p.capable_of_consent = ctx.form("capable_of_consent");
    auto& c = in.contact;
    c.given_name = ctx.form("contact_given_name");
    c.family_name = ctx.form("contact_family_name");
    c.relationship = ctx.form("contact_relationship");
    c.is_substitute_decision_maker = ctx.form("contact_is_substitute_decision_maker");
    c.phone = ctx.form("contact_phone");
    c.email = ctx.form("contact_email");
    c.preferred_language = ctx.form("contact_preferred_language");
    in.confirm_distinct = ctx.form("confirm_distinct") == "1";
    in.referral_id = ctx.form("referral_id");
    return in;
}

std::vector<Option> official_language_options(const Ctx& ctx) {
    return {{"fr", ctx.t("people.official_language.fr")}, {"en", ctx.t("people.official_language.en")}};
}

std::vector<Option> relationship_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto r : d::all_family_relationships())
        out.push_back({std::string(d::code(r)), ctx.t("people.relationship." + std::string(d::code(r)))});
    return out;
}

std::vector<Option> team_kind_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto k : {d::TeamKind::assigned_coordinator, d::TeamKind::team_member})
        out.push_back({std::string(d::code(k)), ctx.t("people.team_kind." + std::string(d::code(k)))});
    return out;
}

json registration_form(Ctx& ctx, const RegistrationInput& v, const std::vector<FieldError>& e, bool duplicates) {
    const auto& p = v.person;
    const auto& c = v.contact;
    FormBuilder f(ctx, "/children/new", "people.register");
    if (!v.referral_id.empty())
        f.field({.name = "referral_id", .label_key = "referral.detail_title", .type = "hidden"}, v.referral_id);
    f.field({.name = "given_name", .label_key = "people.given_name", .required = true, .autocomplete = "off"}, p.given_name)
        .field({.name = "family_name", .label_key = "people.family_name", .required = true, .autocomplete = "off"}, p.family_name)
        .field({.name = "preferred_name", .label_key = "people.preferred_name", .hint_key = "people.preferred_name_hint"},
               p.preferred_name)
        .field({.name = "date_of_birth",
                .label_key = "people.date_of_birth",
                .required = true,
                .hint_key = "people.date_hint",
                .inputmode = "numeric"},
               p.date_of_birth)
        .field({.name = "official_language",
                .label_key = "people.official_language_label",
                .type = "radios",
                .required = true,
                .hint_key = "people.official_language_hint",
                .options = official_language_options(ctx)},
               p.official_language)
        .field({.name = "preferred_language",
                .label_key = "people.preferred_language",
                .hint_key = "people.preferred_language_hint"},
               p.preferred_language)
        .field({.name = "capable_of_consent",
                .label_key = "people.capable_of_consent",
                .type = "radios",
                .required = true,
                .hint_key = "people.capable_of_consent_hint",
                .options = {{"yes", ctx.t("common.yes")}, {"no", ctx.t("common.no")}}},
               p.capable_of_consent)
        .field({.name = "school", .label_key = "people.school"}, p.school)
        .field({.name = "phone", .label_key = "people.phone", .type = "tel", .hint_key = "org.phone_hint"}, p.phone)
        .field({.name = "email", .label_key = "people.email", .type = "email"}, p.email)
        .field({.name = "address", .label_key = "people.address"}, p.address)
        .field({.name = "postal_code", .label_key = "site.postal_code", .hint_key = "site.postal_code_hint"}, p.postal_code)
        .field({.name = "contact_given_name", .label_key = "people.contact.given_name", .required = true}, c.given_name)
        .field({.name = "contact_family_name", .label_key = "people.contact.family_name", .required = true}, c.family_name)
        .field({.name = "contact_relationship",
                .label_key = "people.contact.relationship",
                .type = "select",
                .required = true,
                .options = relationship_options(ctx)},
               c.relationship)
        .field({.name = "contact_is_substitute_decision_maker",
                .label_key = "people.contact.is_substitute_decision_maker",
                .type = "checkbox",
                .hint_key = "people.contact.sdm_hint"},
               c.is_substitute_decision_maker == "1" ? "1" : "")
        .field({.name = "contact_phone",
                .label_key = "people.contact.phone",
                .type = "tel",
                .hint_key = "people.contact.reach_hint"},
               c.phone)
        .field({.name = "contact_email", .label_key = "people.contact.email", .type = "email"}, c.email)
        .field({.name = "contact_preferred_language", .label_key = "people.contact.preferred_language"}, c.preferred_language);
    if (duplicates)
        f.field({.name = "confirm_distinct",
                 .label_key = "people.confirm_distinct",
                 .type = "checkbox",
                 .hint_key = "people.confirm_distinct_hint"},
                v.confirm_distinct ? "1" : "");
    f.errors(e).cancel("/children");
    return f.build();
}

http::Response registration_page(Ctx& ctx, const RegistrationInput& v, const std::vector<FieldError>& e, int status,
                                 const store::DuplicateCheck* dups = nullptr) {
    json model = {{"heading", ctx.t("people.new_title")}, {"intro", ctx.t("people.new_intro")}};
    if (dups && dups->any()) {
        json visible = json::array();
        for (const auto& c : dups->visible) {
            json row = {{"href", file_href(c.id)}, {"name", c.given_name + " " + c.family_name}, {"dob", c.date_of_birth}};
            // Opened from a referral: the referral can join the file already open instead.
            if (!v.referral_id.empty())
                row["link"] = {{"action", "/referrals/" + v.referral_id + "/link-file"},
                               {"person_id", c.id},
                               {"label", ctx.t("people.link_referral", {c.given_name + " " + c.family_name})},
                               {"csrf", ctx.csrf}};
            visible.push_back(row);
        }
        json block = {{"visible", visible}};
        if (dups->hidden > 0) block["hidden_text"] = ctx.t("people.duplicates_hidden", {std::to_string(dups->hidden)});
        model["duplicates"] = block;
    }
    model["form"] = registration_form(ctx, v, e, dups && dups->any());
    return ctx.app.page(ctx, "people.new_title", "people_form", model, status);
}

store::ReferralRepo referral_repo(Ctx& ctx) {
    return store::ReferralRepo(*ctx.access);
}

// The referral a file is opened from: read (and audited) as the receiving organisation, accepted
// and without a file yet. Conflict otherwise.
Result<store::ReferralDetail> referral_to_register(Ctx& ctx, std::string_view raw) {
    auto id = d::parse_id(raw);
    if (!id) return Error::not_found();
    auto r = referral_repo(ctx).read(*id);
    if (!r) return r;
    if (r->status != d::code(d::ReferralStatus::accepted) || r->person_id || !r->may_update)
        return Error::conflict("referral.error.status");
    return r;
}

// A referral for a child already known: linked to the file open for them (one of the probable
// duplicates its registration found), so the family does not start a second file or tell their
// story again. The file must be one the actor may update (decided; a refusal audited), the
// referral accepted and without a file (the referral's own update, audited with the file named).
http::Response link_referral(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g || !can_register(ctx, *g)) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::referral);
    auto ref = referral_to_register(ctx, ctx.req.params["id"]);
    if (!ref) return refused(ctx, ref.error());
    const auto person_id = d::parse_id(ctx.form("person_id"));
    if (!person_id) return ctx.app.error_page(ctx, Error::invalid_field("person_id", "people.error.link_file"));
    if (auto may = people(ctx).may_update(*person_id, d::Category::identity_contact); !may) return refused(ctx, may.error());
    if (auto linked = referral_repo(ctx).link_file(ref->id, *person_id); !linked) return refused(ctx, linked.error());
    // An intake already open for the referral starts from the story the family told before.
    if (auto story = store::IntakeRepo(*ctx.access).bring_known_story(ref->id); !story) return refused(ctx, story.error());
    return ctx.app.see_other(ctx, file_href(*person_id), "people.referral_linked");
}

http::Response new_person(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g || !can_register(ctx, *g)) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::referral);
    RegistrationInput v;
    v.person.official_language = ctx.lang == Lang::fr ? "fr" : "en";
    if (const auto raw = ctx.req.query_param("referral"); !raw.empty()) {
        // Opened from a referral: what it says fills the form, to be checked and completed.
        auto r = referral_to_register(ctx, raw);
        if (!r) return refused(ctx, r.error());
        v.referral_id = std::to_string(r->id);
        v.person.given_name = r->given_name;
        v.person.family_name = r->family_name;
        v.person.date_of_birth = r->date_of_birth;
        v.person.official_language = r->official_language;
        v.person.preferred_language = r->preferred_language;
        v.contact.given_name = r->contact_given_name;
        v.contact.family_name = r->contact_family_name;
        v.contact.relationship = r->contact_relationship;
        v.contact.phone = r->contact_phone;
        v.contact.email = r->contact_email;
    }
    return registration_page(ctx, v, {}, 200);
}

http::Response create_person(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g || !can_register(ctx, *g)) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::referral);
    const auto in = registration_input(ctx);
    store::Registration r;
    r.confirmed_distinct = in.confirm_distinct;
    auto e = d::validate(in.person, date_of(ctx.app.clock().now()), r.person);
    d::FamilyMember m;
    auto ce = d::validate(in.contact, "contact_", m);
    e.insert(e.end(), ce.begin(), ce.end());
    if (!e.empty()) return registration_page(ctx, in, e, 422);
    std::optional<std::int64_t> referral;
    if (!in.referral_id.empty()) {
        auto ref = referral_to_register(ctx, in.referral_id);
        if (!ref) return refused(ctx, ref.error());
        referral = ref->id;
    }
    r.family.push_back(std::move(m));
    auto out = people(ctx).register_person(r);
    if (!out) {
        if (out.error().code == Errc::Invalid) return registration_page(ctx, in, out.error().fields, 422);
        return refused(ctx, out.error());
    }
    // Probable duplicates: shown, and the form comes back for an explicit confirmation. The
    // searches were audited, so this answer commits.
    if (out->person_id == 0) return registration_page(ctx, in, {}, 200, &out->duplicates);
    if (referral) {
        // Checked above in this transaction: a refusal now undoes the registration too.
        if (auto linked = referral_repo(ctx).link_file(*referral, out->person_id); !linked)
            return ctx.app.error_page(ctx, linked.error());
    }
    return ctx.app.see_other(ctx, file_href(out->person_id), "people.registered");
}

// ---------------------------------------------------------------- file summary

http::Response file(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    auto f = people(ctx).read_file(*id);
    if (!f) {
        if (f.error().code == Errc::Forbidden) return refused_with_break_glass(ctx, *g, *id);
        return refused(ctx, f.error());
    }
    json model = {
        {"file_number", ctx.t("people.file_number", {std::to_string(f->id)})},
        {"agency_line", ctx.t("people.agency_line", {pick(ctx, f->agency_name_fr, f->agency_name_en)})},
        {"access_line", ctx.t("people.access_line", {ctx.t("privacy.relationship." + std::string(d::code(f->relationship))),
                                                     ctx.t("privacy.purpose." + std::string(d::code(f->purpose)))})}};
    if (f->break_glass) model["break_glass"] = true;
    json withheld = json::array();
    for (auto c : f->withheld) withheld.push_back(withheld_notice(ctx, c));
    model["withheld"] = withheld;
    if (f->identity) {
        const auto& i = *f->identity;
        model["heading"] = display_name(i.given_name, i.family_name, i.preferred_name);
        json identity = {{"given_name", i.given_name},
                         {"family_name", i.family_name},
                         {"preferred_name", i.preferred_name},
                         {"date_of_birth", i.date_of_birth},
                         {"official_language", ctx.t("people.official_language." + i.official_language)},
                         {"preferred_language", i.preferred_language},
                         {"capable", ctx.t(i.capable_of_consent ? "common.yes" : "common.no")},
                         {"phone", i.phone},
                         {"email", i.email},
                         {"address", i.address},
                         {"postal_code", i.postal_code}};
        model["identity"] = identity;
        json family = json::array();
        for (const auto& m : f->family)
            family.push_back(
                {{"name", m.given_name + " " + m.family_name},
                 {"relationship", ctx.t("people.relationship." + m.relationship)},
                 {"sdm", m.is_substitute_decision_maker},
                 {"phone", m.phone},
                 {"email", m.email},
                 {"language_line",
                  m.preferred_language.empty() ? std::string() : ctx.t("people.language_line", {m.preferred_language})}});
        model["family"] = family;
        json team = json::array();
        for (const auto& t : f->team)
            team.push_back({{"name", t.display_name},
                            {"organisation", pick(ctx, t.org_name_fr, t.org_name_en)},
                            {"kind", ctx.t("people.team_kind." + t.kind)},
                            {"since", t.from_at.substr(0, 10)}});
        model["team"] = team;
        model["identity_shown"] = true;
        if (f->relationship != d::Relationship::privacy_officer) model["family_add_href"] = file_href(f->id) + "/family/new";
        // The child's referrals, in and out (features/referral decides again on that page).
        if (f->relationship != d::Relationship::privacy_officer) {
            model["referrals_href"] = file_href(f->id) + "/referrals";
            // The plan (features/plan decides again on that page, on the family's consent).
            model["plan_href"] = file_href(f->id) + "/plan";
        }
    } else {
        model["heading"] = ctx.t("people.file_number", {std::to_string(f->id)});
    }
    if (f->school) model["school"] = f->school->empty() ? ctx.t("people.not_given") : *f->school;
    // The consent record and the team are kept by the file's coordinating agency and its
    // assigned coordinator (the store decides again on each of those pages and forms).
    if (f->identity &&
        (f->relationship == d::Relationship::coordinating_agency || f->relationship == d::Relationship::assigned_coordinator)) {
        model["consent_href"] = file_href(f->id) + "/consent";
        model["lockbox_href"] = file_href(f->id) + "/lockbox";
        model["family_access_href"] = file_href(f->id) + "/family";  // features/family decides again
        model["concerns_href"] = file_href(f->id) + "/concerns";     // the family's concerns, likewise
    }
    if (f->identity &&
        (f->relationship == d::Relationship::coordinating_agency || f->relationship == d::Relationship::assigned_coordinator)) {
        std::vector<Option> staff;
        for (const auto& c : people(ctx).team_choices(f->sda_id))
            staff.push_back(
                {std::to_string(c.user_id) + ":" + std::to_string(c.organisation_id),
                 c.display_name + " — " + pick(ctx, c.org_name_fr, c.org_name_en) + " (" + ctx.t("role." + c.role) + ")"});
        FormBuilder form(ctx, file_href(f->id) + "/team", "people.team_add");
        form.field(
                {.name = "member", .label_key = "people.team_member_label", .type = "select", .required = true, .options = staff})
            .field({.name = "kind",
                    .label_key = "people.team_kind_label",
                    .type = "radios",
                    .required = true,
                    .options = team_kind_options(ctx)},
                   "team_member");
        model["team_form"] = form.build();
    }
    return ctx.app.page(ctx, "people.file_title", "people_file", model);
}

// ---------------------------------------------------------------- family members

json family_form(Ctx& ctx, std::int64_t id, const d::FamilyMemberForm& v, const std::vector<FieldError>& e) {
    FormBuilder f(ctx, file_href(id) + "/family/new", "common.save");
    f.field({.name = "given_name", .label_key = "people.given_name", .required = true}, v.given_name)
        .field({.name = "family_name", .label_key = "people.family_name", .required = true}, v.family_name)
        .field({.name = "relationship",
                .label_key = "people.contact.relationship",
                .type = "select",
                .required = true,
                .options = relationship_options(ctx)},
               v.relationship)
        .field({.name = "is_substitute_decision_maker",
                .label_key = "people.contact.is_substitute_decision_maker",
                .type = "checkbox",
                .hint_key = "people.contact.sdm_hint"},
               v.is_substitute_decision_maker == "1" ? "1" : "")
        .field({.name = "phone", .label_key = "people.phone", .type = "tel", .hint_key = "people.contact.reach_hint"}, v.phone)
        .field({.name = "email", .label_key = "people.email", .type = "email"}, v.email)
        .field({.name = "preferred_language", .label_key = "people.contact.language"}, v.preferred_language)
        .errors(e)
        .cancel(file_href(id));
    return f.build();
}

http::Response family_page(Ctx& ctx, std::int64_t id, const d::FamilyMemberForm& v, const std::vector<FieldError>& e,
                           int status) {
    json model = {{"heading", ctx.t("people.family_add_title")}, {"form", family_form(ctx, id, v, e)}};
    return ctx.app.page(ctx, "people.family_add_title", "people_form", model, status);
}

// The form holds nothing about the child, but is shown only to those who may add to the file.
http::Response new_family_member(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    if (auto may = people(ctx).may_update(*id, d::Category::identity_contact); !may) return refused(ctx, may.error());
    return family_page(ctx, *id, {}, {}, 200);
}

http::Response create_family_member(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    d::FamilyMemberForm in{
        ctx.form("given_name"), ctx.form("family_name"), ctx.form("relationship"),      ctx.form("is_substitute_decision_maker"),
        ctx.form("phone"),      ctx.form("email"),       ctx.form("preferred_language")};
    d::FamilyMember m;
    auto e = d::validate(in, "", m);
    if (!e.empty()) return family_page(ctx, *id, in, e, 422);
    auto r = people(ctx).add_family_member(*id, m);
    if (!r) return refused(ctx, r.error());
    return ctx.app.see_other(ctx, file_href(*id), "people.family_added");
}

http::Response add_team_member(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    std::vector<FieldError> e;
    const std::string member = trim(ctx.form("member"));
    const auto colon = member.find(':');
    std::optional<std::int64_t> user_id, org_id;
    if (colon != std::string::npos) {
        user_id = d::parse_id(member.substr(0, colon));
        org_id = d::parse_id(member.substr(colon + 1));
    }
    if (!user_id || !org_id) e.push_back({"member", "field.choose_from_list", {}});
    const auto kind = d::parse_team_kind(trim(ctx.form("kind")));
    if (!kind) e.push_back({"kind", "field.choose_one", {}});
    if (!e.empty()) return ctx.app.error_page(ctx, Error::invalid(std::move(e)));
    auto r = people(ctx).add_to_team(*id, *user_id, *org_id, *kind);
    if (!r) return r.error().code == Errc::Invalid ? ctx.app.error_page(ctx, r.error()) : refused(ctx, r.error());
    return ctx.app.see_other(ctx, file_href(*id), "people.team_added");
}

}  // namespace

void register_people_pages(WebApp& app) {
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    const auto S = Access::signed_in;
    app.route("GET", "/children", {"children/list", S, R, list});
    app.route("GET", "/children/new", {"children/new", S, R, new_person});
    app.route("POST", "/children/new", {"children/create", S, W, create_person});
    app.route("POST", "/referrals/{id}/link-file", {"children/link_referral", S, W, link_referral});
    app.route("GET", "/children/{id}", {"children/file", S, R, file});
    app.route("POST", "/children/{id}/team", {"children/team/add", S, W, add_team_member});
    app.route("GET", "/children/{id}/family/new", {"children/family/new", S, R, new_family_member});
    app.route("POST", "/children/{id}/family/new", {"children/family/create", S, W, create_family_member});
}

bool may_see_children(const domain::Principal& p) {
    return std::any_of(p.grants.begin(), p.grants.end(), [](const domain::Grant& g) { return domain::may_use_registry(g.role); });
}

}  // namespace arrimage::web
