// The message catalogue must have every key in both languages, and every key the code and
// templates use must exist. A missing or misspelt key fails here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "domain/consent.hpp"
#include "domain/identity.hpp"
#include "domain/people.hpp"
#include "domain/privacy.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "features/complaints/domain/complaints.hpp"
#include "features/family/domain/family_requests.hpp"
#include "features/fhir/domain/fhir.hpp"
#include "features/governance/domain/governance.hpp"
#include "features/intake/domain/intake.hpp"
#include "features/network/domain/capacity.hpp"
#include "features/network/domain/outreach.hpp"
#include "features/network/domain/tools.hpp"
#include "features/notification/domain/notification.hpp"
#include "features/plan/domain/plan.hpp"
#include "features/referral/domain/referral.hpp"
#include "features/reporting/domain/reporting.hpp"
#include "interop/hsds_tables.hpp"
#include "web/app.hpp"

using namespace arrimage;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::set<std::string> namespaces(const Catalogue& c) {
    std::set<std::string> out;
    for (const auto& [k, _] : c.all(Lang::en)) out.insert(k.substr(0, k.find('.')));
    return out;
}

void expect_key(const Catalogue& c, const std::string& key, const std::string& where) {
    EXPECT_TRUE(c.has(Lang::en, key)) << "missing English message " << key << " (used in " << where << ")";
    EXPECT_TRUE(c.has(Lang::fr, key)) << "missing French message " << key << " (used in " << where << ")";
}

}  // namespace

TEST(Catalogue, SameKeysInBothLanguagesAndNoEmptyMessages) {
    const auto c = web::load_catalogue();
    for (const auto lang : {Lang::fr, Lang::en}) {
        for (const auto& [k, v] : c.all(lang)) {
            EXPECT_TRUE(c.has(other(lang), k)) << k << " exists only in " << code(lang);
            EXPECT_FALSE(v.empty()) << k << " is empty in " << code(lang);
        }
    }
    EXPECT_GT(c.all(Lang::en).size(), 100u);
}

TEST(Catalogue, PlaceholdersMatchAcrossLanguages) {
    const auto c = web::load_catalogue();
    const std::regex slot(R"(\{[0-9]\})");
    for (const auto& [k, en] : c.all(Lang::en)) {
        const std::string fr = c.t(Lang::fr, k);
        std::set<std::string> a, b;
        for (auto it = std::sregex_iterator(en.begin(), en.end(), slot); it != std::sregex_iterator(); ++it) a.insert(it->str());
        for (auto it = std::sregex_iterator(fr.begin(), fr.end(), slot); it != std::sregex_iterator(); ++it) b.insert(it->str());
        EXPECT_EQ(a, b) << "placeholders differ for " << k;
    }
}

TEST(Catalogue, EveryTemplateKeyExists) {
    const auto c = web::load_catalogue();
    const std::regex use(R"(\{\{[#^/]?t\.([a-z0-9_.]+)\}\})");
    int seen = 0;
    // The web kernel's templates and every feature's (src/features/*/web/templates).
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(ARRIMAGE_SOURCE_DIR) / "src")) {
        if (entry.path().extension() != ".mustache" || entry.path().parent_path().filename() != "templates") continue;
        const auto text = read(entry.path());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), use); it != std::sregex_iterator(); ++it) {
            expect_key(c, (*it)[1].str(), entry.path().filename().string());
            ++seen;
        }
    }
    EXPECT_GT(seen, 50);
}

// String literals in the sources that look like catalogue keys ("namespace.name" where the
// namespace is one the catalogue uses) must exist.
TEST(Catalogue, EveryKeyLiteralInTheSourcesExists) {
    const auto c = web::load_catalogue();
    const auto ns = namespaces(c);
    const std::regex literal(R"re("([a-z_]+)\.([a-z0-9_]+(\.[a-z0-9_]+)*)")re");
    int seen = 0;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(ARRIMAGE_SOURCE_DIR) / "src")) {
        const auto ext = entry.path().extension();
        if (ext != ".cpp" && ext != ".hpp") continue;
        const auto text = read(entry.path());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator(); ++it) {
            const std::string key = (*it)[1].str() + "." + (*it)[2].str();
            if (!ns.contains((*it)[1].str())) continue;
            // Prefixes completed at run time ("role." + code) end with a dot and do not match.
            expect_key(c, key, entry.path().filename().string());
            ++seen;
        }
    }
    EXPECT_GT(seen, 100);
}

TEST(Catalogue, KeysBuiltAtRunTimeExist) {
    const auto c = web::load_catalogue();
    for (auto r : domain::all_roles()) expect_key(c, "role." + std::string(domain::code(r)), "roles");
    for (auto s : domain::all_sectors()) expect_key(c, "sector." + std::string(domain::code(s)), "sectors");
    for (auto s : domain::all_csp_roles()) expect_key(c, "csp_role." + std::string(domain::code(s)), "CSP roles");
    for (int status : {400, 401, 403, 404, 405, 408, 409, 413, 422, 429, 431, 500, 503})
        expect_key(c, "error.title." + std::to_string(status), "error pages");
    for (int status : {400, 404, 405, 408, 413, 431, 500, 503})
        expect_key(c, "error.http." + std::to_string(status), "transport errors");
    for (const char* purpose : {"reset", "invite"}) {
        expect_key(c, std::string("email.") + purpose + ".subject", "emails");
        expect_key(c, std::string("email.") + purpose + ".body", "emails");
    }
    for (const auto& problem : interop::hsds_problem_codes()) expect_key(c, "hsds.problem." + problem, "HSDS import report");
    for (auto s : domain::all_intake_statuses())
        expect_key(c, "intake.status." + std::string(domain::code(s)), "intake statuses");
    for (const auto& row : domain::intake_lifecycle().rows())
        if (!row.refused_key.empty()) expect_key(c, std::string(row.refused_key), "intake guards");
    for (auto k : domain::all_notice_kinds())
        expect_key(c, "notification.kind." + std::string(domain::code(k)), "notification kinds");
    for (auto f : {domain::InboxFilter::all, domain::InboxFilter::unread})
        expect_key(c, "notification.show." + std::string(domain::code(f)), "inbox filters");
    for (auto s : domain::all_plan_statuses()) expect_key(c, "plan.status." + std::string(domain::code(s)), "plan statuses");
    for (auto e : domain::all_plan_events()) expect_key(c, "plan.event." + std::string(domain::code(e)), "plan moves");
    for (auto p : domain::all_goal_progress()) expect_key(c, "plan.progress." + std::string(domain::code(p)), "goal progress");
    for (auto e : domain::all_expressed_by())
        expect_key(c, "plan.expressed_by." + std::string(domain::code(e)), "who said a goal");
    for (const char* change : {"created", "sections", "goal_added", "goal_updated", "status"})
        expect_key(c, std::string("plan.change.") + change, "plan changes");
    for (const auto& row : domain::plan_lifecycle().rows())
        if (!row.refused_key.empty()) expect_key(c, std::string(row.refused_key), "plan guards");
    for (auto k : domain::all_family_request_kinds()) {
        expect_key(c, "family.request_kind." + std::string(domain::code(k)), "what a family raises");
        expect_key(c, "family.notice." + std::string(domain::code(k)), "notifications of what a family raises");
    }
    for (auto a : domain::all_concern_addressees()) {
        expect_key(c, "family.addressed_to." + std::string(domain::code(a)), "to whom a concern goes");
        expect_key(c, "family.notice.to." + std::string(domain::code(a)), "to whom a concern goes");
    }
    for (auto s : domain::all_report_statuses()) {
        expect_key(c, "report.status." + std::string(domain::code(s)), "report statuses");
        expect_key(c, "report.status_note." + std::string(domain::code(s)), "report statuses");
    }
    for (auto e : domain::all_report_events()) {
        expect_key(c, "report.event." + std::string(domain::code(e)), "report moves");
        expect_key(c, "report.done." + std::string(domain::code(e)), "report moves");
    }
    for (const auto& s : domain::indicator_streams()) {
        expect_key(c, "report.stream." + std::string(s.code), "indicator streams");
        for (auto e : s.events)
            expect_key(c, "report.event_name." + std::string(s.code) + "." + std::string(e), "indicator events");
        for (auto f : s.fields) {
            expect_key(c, "report.field." + std::string(f), "indicator fields");
            if (const auto* codes = domain::field_codes(f))
                for (auto v : *codes) expect_key(c, "report.value." + std::string(f) + "." + std::string(v), "indicator values");
        }
    }
    for (auto k : domain::all_agreement_kinds())
        expect_key(c, "agreement.kind." + std::string(domain::code(k)), "agreement kinds");
    for (auto s : domain::all_agreement_scopes())
        expect_key(c, "agreement.scope." + std::string(domain::code(s)), "what agreements cover");
    for (auto s : domain::all_agreement_statuses())
        expect_key(c, "agreement.status." + std::string(domain::code(s)), "agreement statuses");
    for (auto k : domain::all_document_kinds())
        expect_key(c, "agreement.document_kind." + std::string(domain::code(k)), "agreement documents");
    for (auto o : domain::all_evaluation_outcomes())
        expect_key(c, "agreement.outcome." + std::string(domain::code(o)), "evaluation outcomes");
    for (auto s : domain::all_coverage_states())
        expect_key(c, "agreement.coverage." + std::string(domain::code(s)), "where an organisation stands in the coverage");
    for (auto e : domain::all_agreement_events())
        for (const char* prefix :
             {"agreement.event.", "agreement.event_heading.", "agreement.event_help.", "agreement.done.", "agreement.history."})
            expect_key(c, prefix + std::string(domain::code(e)), "agreement moves");
    for (const auto& row : domain::agreement_lifecycle().rows())
        if (!row.refused_key.empty()) expect_key(c, std::string(row.refused_key), "agreement guards");
    for (auto k : domain::all_committee_kinds())
        expect_key(c, "governance.committee_kind." + std::string(domain::code(k)), "committee kinds");
    for (auto s : domain::all_meeting_statuses())
        expect_key(c, "governance.meeting_status." + std::string(domain::code(s)), "meeting statuses");
    for (auto e : domain::all_meeting_events())
        for (const char* prefix : {"governance.meeting_event.", "governance.meeting_event_heading.",
                                   "governance.meeting_event_help.", "governance.meeting_done.", "governance.meeting_history."})
            expect_key(c, prefix + std::string(domain::code(e)), "meeting moves");
    for (auto s : domain::all_decision_statuses())
        expect_key(c, "governance.decision_status." + std::string(domain::code(s)), "decision statuses");
    for (auto e : domain::all_decision_events())
        for (const char* prefix :
             {"governance.decision_event.", "governance.decision_event_heading.", "governance.decision_event_help.",
              "governance.decision_note.", "governance.decision_done.", "governance.decision_history."})
            expect_key(c, prefix + std::string(domain::code(e)), "decision moves");
    for (auto s : domain::all_yearly_report_statuses())
        expect_key(c, "governance.report_status." + std::string(domain::code(s)), "yearly report statuses");
    for (auto e : domain::all_yearly_report_events())
        for (const char* prefix : {"governance.report_event.", "governance.report_event_heading.",
                                   "governance.report_event_help.", "governance.report_done.", "governance.report_history."})
            expect_key(c, prefix + std::string(domain::code(e)), "yearly report moves");
    // The events the governance repository writes besides the tables' moves (its history labels).
    for (const char* kind : {"meeting", "decision", "report"})
        expect_key(c, std::string("governance.") + kind + "_history.record", "governance histories");
    expect_key(c, "governance.decision_history.follow_up", "decision follow-up notes");
    expect_key(c, "governance.report_history.sign", "yearly report signatures");
    for (const auto& row : domain::meeting_lifecycle().rows())
        if (!row.refused_key.empty()) expect_key(c, std::string(row.refused_key), "meeting guards");
    for (const auto& row : domain::decision_lifecycle().rows())
        if (!row.refused_key.empty()) expect_key(c, std::string(row.refused_key), "decision guards");
    for (const auto& row : domain::yearly_report_lifecycle().rows())
        if (!row.refused_key.empty()) expect_key(c, std::string(row.refused_key), "yearly report guards");
    for (int m = 1; m <= 12; ++m) expect_key(c, std::string("report.month.") + (m < 10 ? "0" : "") + std::to_string(m), "months");
    // The complaints register's labels (features/complaints): its codes, its moves' forms and
    // what the repository writes besides the table's moves.
    for (auto k : domain::all_complaint_kinds()) {
        expect_key(c, "complaint.kind." + std::string(domain::code(k)), "complaint kinds");
        expect_key(c, "complaint.heading." + std::string(domain::code(k)), "complaint headings");
    }
    for (auto s : domain::all_complaint_sources())
        expect_key(c, "complaint.source." + std::string(domain::code(s)), "complaint sources");
    for (auto x : domain::all_complaint_categories())
        expect_key(c, "complaint.category." + std::string(domain::code(x)), "complaint categories");
    for (auto s : domain::all_complaint_severities())
        expect_key(c, "complaint.severity." + std::string(domain::code(s)), "complaint severities");
    for (auto r : domain::all_complainant_relations())
        expect_key(c, "complaint.relation." + std::string(domain::code(r)), "complainant relations");
    for (auto s : domain::all_complaint_statuses())
        expect_key(c, "complaint.status." + std::string(domain::code(s)), "complaint statuses");
    for (auto e : domain::all_complaint_events()) {
        for (const char* prefix : {"complaint.event.", "complaint.event_heading.", "complaint.event_help.",
                                   "complaint.submit_event.", "complaint.done."})
            expect_key(c, prefix + std::string(domain::code(e)), "complaint moves");
        if (e != domain::ComplaintEvent::triage)  // triage takes a category, a severity and an owner, not a note
            for (const char* prefix : {"complaint.note.", "complaint.note_hint."})
                expect_key(c, prefix + std::string(domain::code(e)), "complaint notes");
    }
    for (const char* event : {"receive", "step", "reassign", "escalate"})
        expect_key(c, std::string("complaint.event.") + event, "complaint histories");
    for (auto w : {domain::ComplaintDeadline::acknowledge, domain::ComplaintDeadline::resolve, domain::ComplaintDeadline::appeal})
        expect_key(c, "complaint.deadline." + std::string(domain::code(w)), "complaint deadlines");
    for (const char* col :
         {"reference", "received", "kind", "source", "category", "severity", "status", "owner", "deadline", "due", "overdue"})
        expect_key(c, std::string("complaint.col.") + col, "the complaints register's export");
    for (const auto& row : domain::complaint_lifecycle().rows())
        if (!row.refused_key.empty()) expect_key(c, std::string(row.refused_key), "complaint guards");
    for (auto s : domain::all_concern_statuses())
        expect_key(c, "family.concern_status." + std::string(domain::code(s)), "concern statuses");
    for (auto e : domain::all_concern_events()) {
        expect_key(c, "family.concerns." + std::string(domain::code(e)) + "_submit", "concern moves");
        expect_key(c, "family.concerns.done_" + std::string(domain::code(e)), "concern moves");
    }
    // The FHIR API's clients (features/fhir): their statuses and the one move of their lifecycle.
    for (auto s : domain::all_api_client_statuses())
        expect_key(c, "api_client.status." + std::string(domain::code(s)), "API client statuses");
    for (auto e : {domain::ApiClientEvent::revoke})
        expect_key(c, "api_client.event." + std::string(domain::code(e)), "API client moves");
    // Capacity building (features/network): training formats and where each person stands.
    for (auto f : domain::all_training_formats())
        expect_key(c, "network.training.format." + std::string(domain::code(f)), "training formats");
    for (auto st : domain::all_training_standings())
        expect_key(c, "network.training.standing." + std::string(domain::code(st)), "training standings");
    for (const char* reminder : {"due", "overdue", "expiring", "lapsed"})
        expect_key(c, std::string("network.training.reminder.") + reminder, "training reminders");
    // The library of common tools and forms, and the outreach log.
    for (auto k : domain::all_tool_kinds()) expect_key(c, "network.tools.kind." + std::string(domain::code(k)), "tool kinds");
    for (auto st : domain::all_adoption_standings())
        expect_key(c, "network.tools.standing." + std::string(domain::code(st)), "tool adoption standings");
    for (const char* lang : {"fr", "en"}) expect_key(c, std::string("network.tools.lang.") + lang, "tool file languages");
    for (auto k : domain::all_outreach_kinds())
        expect_key(c, "network.outreach.kind." + std::string(domain::code(k)), "outreach kinds");
    for (auto a : domain::all_outreach_audiences())
        expect_key(c, "network.outreach.audience." + std::string(domain::code(a)), "outreach audiences");
    for (auto l : domain::all_outreach_languages())
        expect_key(c, "network.outreach.language." + std::string(domain::code(l)), "outreach languages");
}

// The labels privacy.hpp, consent.hpp and people.hpp promise for their codes.
TEST(Catalogue, PrivacyAndPeopleCodesHaveLabels) {
    namespace d = domain;
    const auto c = web::load_catalogue();
    for (auto r : d::all_reasons()) expect_key(c, d::reason_key(r), "privacy reasons");
    for (auto e : d::all_effects()) expect_key(c, d::effect_key(e), "privacy effects");
    for (auto a : d::all_actions()) expect_key(c, "privacy.action." + std::string(d::code(a)), "privacy actions");
    for (auto r : d::all_relationships()) expect_key(c, "privacy.relationship." + std::string(d::code(r)), "relationships");
    for (auto x : d::all_categories()) expect_key(c, "privacy.category." + std::string(d::code(x)), "categories");
    for (auto p : d::all_purposes()) expect_key(c, "privacy.purpose." + std::string(d::code(p)), "purposes");
    for (auto m : {d::ConsentMethod::written, d::ConsentMethod::verbal, d::ConsentMethod::electronic})
        expect_key(c, "privacy.method." + std::string(d::code(m)), "consent methods");
    for (auto g : {d::GivenBy::child_youth, d::GivenBy::substitute_decision_maker})
        expect_key(c, "privacy.given_by." + std::string(d::code(g)), "who consents");
    for (auto r : d::all_family_relationships())
        expect_key(c, "people.relationship." + std::string(d::code(r)), "family relationships");
    for (auto k : {d::TeamKind::assigned_coordinator, d::TeamKind::team_member})
        expect_key(c, "people.team_kind." + std::string(d::code(k)), "team kinds");
    for (auto l : {Lang::fr, Lang::en}) expect_key(c, "people.official_language." + std::string(code(l)), "official languages");
    for (auto s : d::all_referral_sources()) expect_key(c, "referral.source." + std::string(d::code(s)), "referral sources");
    for (auto s : d::all_referral_statuses()) expect_key(c, "referral.status." + std::string(d::code(s)), "referral statuses");
    for (auto r : d::all_decline_reasons())
        expect_key(c, "referral.decline_reason." + std::string(d::code(r)), "decline reasons");
    for (auto m : d::all_access_mechanisms()) expect_key(c, "pathway.mechanism." + std::string(d::code(m)), "access mechanisms");
}
