// The family's own access (features/family/store/family_repo.hpp, docs/FAMILY.md).
//
// Staff: /children/{id}/family, the file's family access for its coordinator: the accounts with
// access (their authority to act for the child, ending an access), the invitations, and the form
// that invites a family member or the youth by email or with a printed sheet. The code is made
// here from random bytes and shown once (the store keeps only its hash).
//
// Public: /family/join, joining with a code: a new family account, or an existing one signed in
// with its password; then signed in as the sign-in page does (sign_in).
//
// Family: /family, the account's files, and /family/children/{id}, the plan as the family reads
// it on a phone, with its signature and its notes to the team on the goals or the plan as a whole.
// A staff account is answered 404 there.
#include <array>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/family/domain/family.hpp"
#include "features/family/store/family_repo.hpp"
#include "features/family/web/family_pages.hpp"
#include "features/plan/domain/plan.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "features/plan/web/plan_common.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/people_common.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

using family_pages::family_href;
using people_pages::file_href;
using people_pages::refused;
using plan_pages::action_row;
using plan_pages::family_note_rows;
using plan_pages::file_id;
using plan_pages::goal_choice_label;
using plan_pages::is_withheld;
using plan_pages::meeting_rows;
using plan_pages::not_allowed;
using plan_pages::service_row;
using plan_pages::team_rows;

std::string access_href(std::int64_t person_id) {
    return file_href(person_id) + "/family";
}

std::array<unsigned char, d::code_length> random_bytes(Ctx& ctx) {
    std::array<unsigned char, d::code_length> out{};
    ctx.app.random().fill(out.data(), out.size());
    return out;
}

std::vector<Option> yes_no(const Ctx& ctx) {
    return {{"yes", ctx.t("common.yes")}, {"no", ctx.t("common.no")}};
}

// ---------------------------------------------------------------- staff: the file's family access

struct AccessForms {
    d::InviteForm invite{"", "yes", "", ""};
    std::vector<FieldError> invite_errors;
    std::string conflict_key;  // a change refused whole (the youth's authority, a closed invitation)
};

json invite_form(Ctx& ctx, const store::FileFamily& f, const AccessForms& forms) {
    std::vector<Option> members;
    for (const auto& m : f.members) {
        std::string label = ctx.t("family.invite.member_option", {m.name, ctx.t("people.relationship." + m.relationship)});
        if (!m.email.empty()) label += " — " + m.email;
        members.push_back({std::to_string(m.id), label});
    }
    if (f.youth_capable) members.push_back({"self", ctx.t("family.invite.self_option", {f.youth_name})});
    FormBuilder b(ctx, access_href(f.person_id) + "/invitations", "family.invite.submit");
    b.id_prefix("invite-");
    b.field({.name = "member", .label_key = "family.invite.member", .type = "radios", .required = true, .options = members},
            forms.invite.member);
    b.field({.name = "authority", .label_key = "family.invite.authority", .type = "radios", .options = yes_no(ctx)},
            forms.invite.authority);
    b.field({.name = "delivery",
             .label_key = "family.invite.delivery",
             .type = "radios",
             .required = true,
             .options = options_of(ctx, std::vector{d::InviteDelivery::email, d::InviteDelivery::print}, "family.delivery.")},
            forms.invite.delivery);
    b.field({.name = "email", .label_key = "family.invite.email", .type = "email", .hint_key = "family.invite.email_hint"},
            forms.invite.email);
    b.errors(forms.invite_errors);
    return b.build();
}

http::Response access_page(Ctx& ctx, std::int64_t person_id, const AccessForms& forms, int status) {
    auto f = store::FamilyRepo(*ctx.access).for_file(person_id);
    if (!f) return refused(ctx, f.error());
    if (status >= 400) ctx.commit_anyway = true;  // the page was shown: its read stays on record
    const std::string base = access_href(person_id);
    json model = {{"heading", ctx.t("family.access.heading", {std::to_string(person_id)})}, {"back_href", file_href(person_id)}};
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    json accounts = json::array();
    for (const auto& a : f->accounts) {
        json row = present({{"name", a.name},
                            {"relation", ctx.t("family.relation." + a.relation)},
                            {"relationship", a.relationship.empty() ? "" : ctx.t("people.relationship." + a.relationship)},
                            {"login", a.login},
                            {"since", display_minute(a.created_at)},
                            {"authority", ctx.t(a.authority ? "common.yes" : "common.no")},
                            {"end_action", base + "/access/" + std::to_string(a.id) + "/end"}});
        if (a.relation == "family_of") {
            row["authority_action"] = base + "/access/" + std::to_string(a.id) + "/authority";
            row["authority_value"] = a.authority ? "no" : "yes";
            row["authority_label"] = ctx.t(a.authority ? "family.access.withdraw" : "family.access.restore");
        }
        accounts.push_back(row);
    }
    model["accounts"] = accounts;
    json invitations = json::array();
    for (const auto& x : f->invitations) {
        json row = present({{"name", x.name},
                            {"login", x.login},
                            {"delivery", ctx.t("family.delivery." + x.delivery)},
                            {"created", display_minute(x.created_at)},
                            {"expires", display_minute(x.expires_at)},
                            {"state", ctx.t("family.invitation_state." + x.state)}});
        if (x.state == "pending") row["cancel_action"] = base + "/invitations/" + std::to_string(x.id) + "/cancel";
        invitations.push_back(row);
    }
    model["invitations"] = invitations;
    if (f->members.empty() && !f->youth_capable)
        model["add_member_href"] = file_href(person_id) + "/family/new";
    else
        model["invite_form"] = invite_form(ctx, *f, forms);
    return ctx.app.page(ctx, "family.access.title", "family_access", model, status);
}

// A refusal of one of the page's forms: field errors on the page (422), a change refused whole
// on the page with its message (409), anything else as a refusal.
http::Response refused_change(Ctx& ctx, std::int64_t person_id, const Error& e, AccessForms& forms) {
    return refused_on_page(ctx, e, forms.invite_errors, forms.conflict_key,
                           [&](int status) { return access_page(ctx, person_id, forms, status); });
}

http::Response show_access(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    return access_page(ctx, *id, {}, 200);
}

// The email of an invitation sent by email, in the invited person's language.
void send_invitation(Ctx& ctx, const store::IssuedInvitation& x, const std::string& expires) {
    const auto& cat = ctx.app.catalogue();
    const std::string code = d::format_code(x.code);
    const std::string link = ctx.app.config().public_base_url + "/family/join?code=" + code;
    ctx.auth().enqueue_email(x.email, cat.t(x.lang, "family.email.subject"),
                             cat.t(x.lang, "family.email.body", {x.name, link, code, expires}));
}

// The sheet handed to a family without email: the code is shown this once.
http::Response invitation_sheet(Ctx& ctx, std::int64_t person_id, const store::IssuedInvitation& x, const std::string& expires) {
    const std::string join = ctx.app.config().public_base_url + "/family/join";
    json model = {{"for_line", ctx.t("family.sheet.for", {x.name})},
                  {"join_address", join},
                  {"code", d::format_code(x.code)},
                  {"login", x.login},
                  {"expires", ctx.t("family.sheet.expires", {expires})},
                  {"back_href", access_href(person_id)}};
    return ctx.app.print_page(ctx, "family.sheet.title", "family_invitation_print", model);
}

http::Response invite(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    AccessForms forms;
    forms.invite = {ctx.form("member"), ctx.form("authority"), ctx.form("delivery"), ctx.form("email")};
    d::Invite in;
    forms.invite_errors = d::validate(forms.invite, in);
    if (!forms.invite_errors.empty()) return access_page(ctx, *id, forms, 422);
    const bool by_email = in.delivery == d::InviteDelivery::email;
    const std::string code = d::code_from_bytes(random_bytes(ctx));
    const std::string login = by_email ? in.email : d::sign_in_name_from_bytes(random_bytes(ctx));
    auto issued = store::FamilyRepo(*ctx.access).invite(*id, in, code, login);
    if (!issued) return refused_change(ctx, *id, issued.error(), forms);
    const std::string expires = display_minute(format_iso(ctx.app.clock().now() + d::invitation_lifetime));
    if (!by_email) return invitation_sheet(ctx, *id, *issued, expires);
    send_invitation(ctx, *issued, expires);
    return ctx.app.see_other(ctx, access_href(*id), "family.invitation_sent");
}

// The routes that name an access or an invitation: {id} the file, {item} the row.
std::optional<std::int64_t> item_id(Ctx& ctx) {
    return d::parse_id(ctx.req.params["item"]);
}

http::Response cancel_invitation(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    auto item = item_id(ctx);
    if (!item) return ctx.app.error_page(ctx, Error::not_found());
    AccessForms forms;
    auto done = store::FamilyRepo(*ctx.access).cancel_invitation(*id, *item);
    if (!done) return refused_change(ctx, *id, done.error(), forms);
    return ctx.app.see_other(ctx, access_href(*id), "family.invitation_cancelled");
}

http::Response set_authority(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    auto item = item_id(ctx);
    if (!item) return ctx.app.error_page(ctx, Error::not_found());
    const std::string value = ctx.form("authority");
    if (value != "yes" && value != "no")
        return ctx.app.error_page(ctx, Error::invalid_field("authority", "field.choose_from_list"));
    AccessForms forms;
    auto done = store::FamilyRepo(*ctx.access).set_authority(*id, *item, value == "yes");
    if (!done) return refused_change(ctx, *id, done.error(), forms);
    return ctx.app.see_other(ctx, access_href(*id), value == "yes" ? "family.authority_restored" : "family.authority_withdrawn");
}

http::Response end_access(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    auto item = item_id(ctx);
    if (!item) return ctx.app.error_page(ctx, Error::not_found());
    AccessForms forms;
    auto done = store::FamilyRepo(*ctx.access).end_access(*id, *item);
    if (!done) return refused_change(ctx, *id, done.error(), forms);
    return ctx.app.see_other(ctx, access_href(*id), "family.access_ended");
}

// ---------------------------------------------------------------- public: joining with a code

struct JoinState {
    std::string code;  // as typed
    std::optional<store::JoinInvitation> invitation;
    std::string display_name, lang;
    std::vector<FieldError> errors;
};

http::Response join_page(Ctx& ctx, const JoinState& s, int status) {
    const auto& inv = s.invitation;
    FormBuilder f(ctx, "/family/join",
                  !inv                    ? "family.join.continue"
                  : inv->existing_account ? "family.join.submit_existing"
                                          : "family.join.submit");
    f.field({.name = "code",
             .label_key = "family.join.code",
             .required = true,
             .hint_key = "family.join.code_hint",
             .autocomplete = "off"},
            s.code);
    if (!inv) {
        f.field({.name = "step", .type = "hidden"}, "code");
    } else if (inv->existing_account) {
        f.field({.name = "password",
                 .label_key = "login.password",
                 .type = "password",
                 .required = true,
                 .autocomplete = "current-password"});
    } else {
        f.field({.name = "display_name",
                 .label_key = "family.join.display_name",
                 .required = true,
                 .hint_key = "family.join.display_name_hint",
                 .autocomplete = "name"},
                s.display_name);
        f.field({.name = "password",
                 .label_key = "reset.password",
                 .type = "password",
                 .required = true,
                 .hint_key = "password.rules",
                 .autocomplete = "new-password"});
        f.field({.name = "password_confirm",
                 .label_key = "reset.password_confirm",
                 .type = "password",
                 .required = true,
                 .autocomplete = "new-password"});
        f.field(
            {.name = "lang", .label_key = "family.join.lang", .type = "radios", .required = true, .options = lang_options(ctx)},
            s.lang.empty() ? std::string(code(ctx.lang)) : s.lang);
    }
    f.errors(s.errors);
    json model = {{"form", f.build()}};
    if (inv) {
        model["for_line"] = ctx.t("family.join.for", {inv->name});
        model["login_line"] = ctx.t("family.join.login", {inv->login});
        model["existing"] = inv->existing_account;
    }
    return ctx.app.page(ctx, "family.join.title", "family_join", model, status);
}

// The invitation of the code typed, into `s`: field errors for a malformed, unknown, spent or
// expired code. The repository refuses a spent or expired one on record: that row is kept
// although the answer is an error (nothing else is written before this).
std::vector<FieldError> look_up(Ctx& ctx, JoinState& s, std::string& code) {
    auto e = d::validate_code(s.code, code);
    if (!e.empty()) return e;
    auto inv = store::FamilyRepo(*ctx.public_access).invitation(code);
    if (inv) {
        s.invitation = *inv;
        return {};
    }
    ctx.commit_anyway = true;
    if (inv.error().fields.empty()) return {{"code", "family.error.code_unknown", {}}};
    return inv.error().fields;
}

http::Response show_join(Ctx& ctx) {
    JoinState s;
    s.code = ctx.req.query_param("code");
    if (trim(s.code).empty()) return join_page(ctx, s, 200);
    std::string code;
    s.errors = look_up(ctx, s, code);
    return join_page(ctx, s, s.errors.empty() ? 200 : 422);
}

// Guessing an existing account's password through a code stops as signing in does (per address,
// and per account from one address).
std::optional<FieldError> throttled(Ctx& ctx, const std::string& login) {
    const auto& cfg = ctx.app.config();
    auto auth = ctx.auth();
    const auto since = ctx.app.clock().now() - cfg.throttle_window;
    const std::string minutes = std::to_string(cfg.throttle_window.count());
    if (auth.count_failures("address", ctx.req.remote_addr, since) >= cfg.max_failures_per_address)
        return FieldError{"", "login.throttled_address", {minutes}};
    if (auth.count_failures("pair", login + " " + ctx.req.remote_addr, since) >= cfg.max_failures_per_pair)
        return FieldError{"", "login.throttled_account", {minutes}};
    return std::nullopt;
}

void record_wrong_password(Ctx& ctx, const std::string& login) {
    auto auth = ctx.auth();
    auth.record_failure("address", ctx.req.remote_addr);
    auth.record_failure("account", login);
    auth.record_failure("pair", login + " " + ctx.req.remote_addr);
    ctx.commit_anyway = true;  // nothing else was written: the join checks the password first
}

http::Response post_join(Ctx& ctx) {
    JoinState s;
    s.code = ctx.form("code");
    s.display_name = ctx.form("display_name");
    s.lang = ctx.form("lang");
    std::string code;
    s.errors = look_up(ctx, s, code);
    if (!s.errors.empty()) return join_page(ctx, s, 422);
    if (ctx.form("step") == "code") return join_page(ctx, s, 200);
    const auto& inv = *s.invitation;
    const std::string password = ctx.form("password");
    d::Join j;
    if (inv.existing_account) {
        j.code = code;
        if (auto t = throttled(ctx, inv.login)) {
            s.errors.push_back(*t);
            return join_page(ctx, s, 429);
        }
        if (password.empty()) s.errors.push_back({"password", "field.required", {}});
    } else {
        s.errors = d::validate(d::JoinForm{s.code, s.display_name, password, ctx.form("password_confirm"), s.lang}, inv.login, j);
    }
    if (!s.errors.empty()) return join_page(ctx, s, 422);
    const std::string hash = inv.existing_account ? std::string() : hash_password(password, ctx.app.config().password_cost);
    auto user = store::FamilyRepo(*ctx.public_access).join(j, password, hash);
    if (!user) {
        if (user.error().code != Errc::Invalid) return ctx.app.refused(ctx, user.error());
        s.errors = user.error().fields;
        for (const auto& e : s.errors)
            if (e.message_key == "family.error.wrong_password") record_wrong_password(ctx, inv.login);
        return join_page(ctx, s, 422);
    }
    auto creds = ctx.auth().credentials_by_id(*user);
    if (!creds) return ctx.app.error_page(ctx, Error::internal());
    return sign_in(ctx, *creds, "/family", "family.joined");
}

// ---------------------------------------------------------------- family: their own pages

http::Response family_home(Ctx& ctx) {
    if (!ctx.family_account()) return ctx.app.error_page(ctx, Error::not_found());
    json files = json::array();
    for (const auto& f : store::FamilyRepo(*ctx.access).my_files()) {
        json row = {{"relation", ctx.t("family.relation." + f.relation)}};
        if (f.permitted) {
            const auto base = family_href(f.person_id);
            row["name"] = f.given_name;
            row["href"] = base;
            row["plan_label"] = ctx.t("family.home.plan_link", {f.given_name});
            row["consent_href"] = base + "/consent";
            row["access_href"] = base + "/access";
            if (f.relation == "self") row["sharing_href"] = base + "/sharing";
        } else {
            row["reason"] = ctx.t(f.reason);
        }
        files.push_back(row);
    }
    json model = {{"welcome", ctx.t("family.home.welcome", {ctx.user->display_name})},
                  {"files", files},
                  {"second_factor_off", !ctx.user->totp_enabled}};
    return ctx.app.page(ctx, "family.home.title", "family_home", model);
}

// The plan page's forms as posted (re-shown with their errors).
struct PlanForms {
    d::SignatureForm posted;
    std::vector<FieldError> errors;
    d::FamilyNoteForm note;
    std::vector<FieldError> note_errors;
    std::string conflict_key;  // a closed plan, or none
};

json sign_form(Ctx& ctx, const store::PlanRecord& r, const PlanForms& forms) {
    FormBuilder f(ctx, family_href(r.person_id) + "/sign", "family.sign.submit");
    f.id_prefix("sign-");
    f.field({.name = "version", .type = "hidden"}, std::to_string(r.version));
    f.field({.name = "decision",
             .type = "radios",
             .required = true,
             .options = options_of(ctx, std::vector{d::SignatureDecision::agreed, d::SignatureDecision::changes_asked},
                                   "plan.signature."),
             .label = ctx.t("family.sign.decision", {std::to_string(r.version)})},
            forms.posted.decision);
    f.field({.name = "comment", .label_key = "family.sign.comment", .type = "textarea", .hint_key = "family.sign.comment_hint"},
            forms.posted.comment);
    // The version is not a field the family fills in: its error (the plan changed since it was
    // read) goes to the summary without a link.
    std::vector<FieldError> errors = forms.errors;
    for (auto& e : errors)
        if (e.field == "version") e.field.clear();
    f.errors(errors);
    return f.build();
}

// A note for the team: on one of the plan's goals, or on the plan as a whole.
json note_form(Ctx& ctx, const store::PlanRecord& r, const PlanForms& forms) {
    std::vector<Option> goals{{"", ctx.t("family.note.whole_plan")}};
    for (const auto& g : r.goals) goals.push_back({std::to_string(g.id), goal_choice_label(ctx, g)});
    FormBuilder f(ctx, family_href(r.person_id) + "/notes", "family.note.submit");
    f.id_prefix("note-");
    f.field({.name = "goal", .label_key = "family.note.goal", .type = "select", .options = goals}, forms.note.goal);
    f.field({.name = "note",
             .label_key = "family.note.note",
             .type = "textarea",
             .required = true,
             .hint_key = "family.note.note_hint"},
            forms.note.note);
    f.errors(forms.note_errors);
    return f.build();
}

// Where the family's signatures leave the plan's current version.
std::string signature_state(const Ctx& ctx, const store::PlanRecord& r) {
    const std::string now = std::to_string(r.version);
    if (r.signatures.empty()) return ctx.t("family.signature.none", {now});
    const auto& s = r.signatures.front();
    if (s.version != r.version) return ctx.t("family.signature.changed_since", {std::to_string(s.version), now});
    return ctx.t(s.decision == "agreed" ? "family.signature.agreed" : "family.signature.changes_asked",
                 {s.signer_name, now, display_minute(s.signed_at)});
}

void plan_work(Ctx& ctx, const store::PlanRecord& r, json& model) {
    json goals = json::array();
    for (const auto& g : r.goals)
        goals.push_back({{"text", g.text},
                         {"expressed_by", ctx.t("plan.expressed_by." + g.expressed_by)},
                         {"progress", ctx.t("plan.progress." + g.progress)},
                         {"family_notes", family_note_rows(ctx, r, g.id)}});
    model["goals"] = goals;
    model["plan_family_notes"] = family_note_rows(ctx, r, 0);
    json actions = json::array();
    for (const auto& a : r.actions) actions.push_back(action_row(ctx, a));
    model["actions"] = actions;
    json services = json::array();
    for (const auto& sv : r.services) services.push_back(service_row(ctx, sv));
    model["services"] = services;
    model["team"] = team_rows(ctx, r);
    model["meetings"] = meeting_rows(r);
    model["signatures"] = plan_pages::signature_lines(ctx, r);
}

http::Response family_plan_page(Ctx& ctx, std::int64_t person_id, const PlanForms& forms, int status) {
    auto r = store::PlanRepo(*ctx.access).read(person_id);
    if (!r) return refused(ctx, r.error());
    if (status >= 400) ctx.commit_anyway = true;  // the plan was shown: its read stays on record
    json model = {{"back_href", "/family"},
                  {"access_href", family_href(person_id) + "/access"},
                  {"consent_href", family_href(person_id) + "/consent"},
                  {"requests_href", family_href(person_id) + "/requests"}};
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    if (r->withheld) {
        model["plan_withheld"] = true;
        return ctx.app.page(ctx, "plan.title", "family_plan", model, status);
    }
    if (!r->id) {
        model["none"] = true;
        return ctx.app.page(ctx, "plan.title", "family_plan", model, status);
    }
    model["status_line"] = ctx.t("family.plan.status_line", {ctx.t("plan.status." + r->status), std::to_string(r->version)});
    model["signature_state"] = signature_state(ctx, *r);
    model["signed_current"] = !r->signatures.empty() && r->signatures.front().version == r->version;
    if (!r->next_review.empty()) model["next_review"] = ctx.t("plan.review.next", {r->next_review});
    json sections = json::array();
    for (auto sec : d::all_sections()) {
        const std::string label = ctx.t("plan.section." + std::string(d::code(sec)));
        if (is_withheld(r->withheld_sections, sec))
            sections.push_back({{"label", label}, {"withheld", ctx.t("family.plan.section_withheld")}});
        else if (const auto& text = d::text_of(r->sections, sec); !text.empty())
            sections.push_back({{"label", label}, {"text", text}});
    }
    model["sections"] = sections;
    plan_work(ctx, *r, model);
    if (d::parse_plan_status(r->status) != d::PlanStatus::closed) {
        model["sign_form"] = sign_form(ctx, *r, forms);
        model["note_form"] = note_form(ctx, *r, forms);
    }
    return ctx.app.page(ctx, "plan.title", "family_plan", model, status);
}

http::Response show_family_plan(Ctx& ctx) {
    auto id = ctx.family_file();
    if (!id) return not_allowed(ctx);
    return family_plan_page(ctx, *id, {}, 200);
}

http::Response sign(Ctx& ctx) {
    auto id = ctx.family_file();
    if (!id) return not_allowed(ctx);
    PlanForms forms;
    forms.posted = {ctx.form("version"), ctx.form("decision"), ctx.form("comment")};
    d::Signature s;
    forms.errors = d::validate(forms.posted, s);
    if (!forms.errors.empty()) return family_plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).sign(*id, s);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return family_plan_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, family_href(*id),
                             s.decision == d::SignatureDecision::agreed ? "family.signed_agreed" : "family.signed_changes");
}

http::Response add_note(Ctx& ctx) {
    auto id = ctx.family_file();
    if (!id) return not_allowed(ctx);
    PlanForms forms;
    forms.note = {ctx.form("goal"), ctx.form("note")};
    d::FamilyNote n;
    forms.note_errors = d::validate(forms.note, n);
    if (!forms.note_errors.empty()) return family_plan_page(ctx, *id, forms, 422);
    auto done = store::PlanRepo(*ctx.access).add_family_note(*id, n);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.note_errors, forms.conflict_key,
                               [&](int status) { return family_plan_page(ctx, *id, forms, status); });
    family_pages::tell_coordinator(ctx, *id, "family.note.told", file_href(*id) + "/plan");
    return ctx.app.see_other(ctx, family_href(*id), "family.note.added");
}

}  // namespace

void register_family_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto P = Access::public_page;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    app.route("GET", "/children/{id}/family", {"family/access", S, R, show_access});
    app.route("POST", "/children/{id}/family/invitations", {"family/invite", S, W, invite});
    app.route("POST", "/children/{id}/family/invitations/{item}/cancel", {"family/invitation_cancel", S, W, cancel_invitation});
    app.route("POST", "/children/{id}/family/access/{item}/authority", {"family/authority", S, W, set_authority});
    app.route("POST", "/children/{id}/family/access/{item}/end", {"family/access_end", S, W, end_access});
    app.route("GET", "/family/join", {"family/join", P, R, show_join});
    app.route("POST", "/family/join", {"family/join_submit", P, W, post_join});
    app.route("GET", "/family", {"family/home", S, R, family_home});
    app.route("GET", "/family/children/{id}", {"family/plan", S, R, show_family_plan});
    app.route("POST", "/family/children/{id}/sign", {"family/sign", S, W, sign});
    app.route("POST", "/family/children/{id}/notes", {"family/note", S, W, add_note});
    register_family_consent_pages(app);
    register_family_request_pages(app);
}

}  // namespace arrimage::web
