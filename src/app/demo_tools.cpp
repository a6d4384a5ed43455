#include "app/demo_tools.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/i18n.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/network/domain/tools.hpp"

namespace arrimage::app {

namespace d = arrimage::domain;

namespace {

// The demo people and organisations (demo_data.cpp): the administrator who keeps the library, and
// the managers who confirm their organisation's adoptions.
constexpr const char* admin = "ca.admin@demo.arrimage.invalid";
constexpr const char* manager1 = "manager1@demo.arrimage.invalid";
constexpr const char* manager2 = "manager2@demo.arrimage.invalid";
constexpr const char* manager3 = "manager3@demo.arrimage.invalid";
constexpr const char* manager_ctc = "manager.ctc@demo.arrimage.invalid";
constexpr const char* manager_two = "manager.two@demo.arrimage.invalid";  // home care and youth mental health

constexpr const char* blue_river = "Blue River Family Services (fictional)";
constexpr const char* maple = "Fictional Maple Youth Centre";
constexpr const char* north = "Demo North Community Network";
constexpr const char* treatment_centre = "Demo Children's Treatment Centre";
constexpr const char* mental_health = "Demo Youth Mental Health";
constexpr const char* home_care = "Demo Home and Community Care";

enum class Key { consent, referral, plan, transition, first_meeting, screening, intake_sheet };

// A file of the tool in one language: its name (without ".pdf"), the version it was uploaded for
// and its day (days from today).
struct FileSeed {
    Lang lang;
    const char* name;
    const char* version_label;
    int day;
};

struct ToolSeed {
    Key key;
    const char* title_fr;
    const char* title_en;
    const char* description_fr;
    const char* description_en;
    d::ToolKind kind;
    bool mandatory;
    const char* version_label;
    int created;      // days from today
    int version_day;  // the day its current label was set (a second version when later)
    bool retired;
    std::vector<FileSeed> files;
};

const std::vector<ToolSeed>& tools() {
    using K = d::ToolKind;
    static const std::vector<ToolSeed> v = {
        {Key::consent,
         "Formulaire de consentement à la communication de renseignements",
         "Consent to share information form",
         "Le formulaire commun que la famille signe pour que les fournisseurs de son plan de services coordonnés "
         "échangent les renseignements nécessaires, avec les limites qu'elle choisit.\n"
         "La version 2026-1 ajoute la case du retrait partiel du consentement.",
         "The shared form the family signs so that the providers of its coordinated service plan exchange the "
         "information they need, within the limits the family chooses.\n"
         "Version 2026-1 adds the box for a partial withdrawal of consent.",
         K::form,
         true,
         "2026-1",
         -700,
         -45,
         false,
         {{Lang::fr, "consentement-communication-2026-1", "2026-1", -45}, {Lang::en, "consent-to-share-2026-1", "2026-1", -45}}},
        {Key::referral,
         "Formulaire d'orientation commun",
         "Common referral form",
         "Le formulaire qu'utilise tout fournisseur de la zone pour orienter une famille vers la planification "
         "coordonnée des services.",
         "The form every provider of the area uses to refer a family to coordinated service planning.",
         K::form,
         true,
         "2025-3",
         -400,
         -400,
         false,
         {{Lang::fr, "formulaire-orientation-2025-3", "2025-3", -400}, {Lang::en, "referral-form-2025-3", "2025-3", -400}}},
        {Key::plan,
         "Modèle de plan de services coordonnés",
         "Coordinated service plan template",
         "Le modèle commun du plan : objectifs de la famille, services, responsables, échéances et révisions.\n"
         "La version 3.0 réorganise les objectifs par domaine de vie.",
         "The shared template of the plan: the family's goals, services, who is responsible, deadlines and reviews.\n"
         "Version 3.0 groups the goals by area of life.",
         K::template_,
         true,
         "3.0",
         -650,
         -20,
         false,
         {{Lang::fr, "modele-plan-services-coordonnes-2-1", "2.1", -300},
          {Lang::en, "coordinated-service-plan-template-3-0", "3.0", -20}}},
        {Key::transition,
         "Liste de vérification pour la planification des transitions",
         "Transition planning checklist",
         "Les étapes à prévoir avant l'entrée à l'école, le passage au secondaire et le passage aux services pour "
         "adultes, et qui s'en occupe.",
         "The steps to plan before starting school, moving to secondary school and moving to adult services, and who "
         "looks after each.",
         K::checklist,
         true,
         "2025-1",
         -500,
         -500,
         false,
         {{Lang::fr, "liste-verification-transitions-2025-1", "2025-1", -500},
          {Lang::en, "transition-planning-checklist-2025-1", "2025-1", -500}}},
        {Key::first_meeting,
         "Guide de la première rencontre avec la famille",
         "Guide to the family's first meeting",
         "Comment préparer et animer la première rencontre : l'accueil dans la langue de la famille, ce qu'on lui "
         "explique, ce qu'on lui demande et ce qu'on lui remet.",
         "How to prepare and lead the first meeting: greeting the family in its language, what to explain, what to ask "
         "and what to hand over.",
         K::guide,
         false,
         "2024-2",
         -600,
         -600,
         false,
         {{Lang::fr, "guide-premiere-rencontre-2024-2", "2024-2", -600},
          {Lang::en, "first-meeting-guide-2024-2", "2024-2", -600}}},
        {Key::screening,
         "Outil de dépistage commun",
         "Common screening tool",
         "Un outil bref pour repérer les besoins qui justifient une orientation vers la planification coordonnée. La "
         "version anglaise est en traduction.",
         "A short tool to spot the needs that call for a referral to coordinated planning. The English version is being "
         "translated.",
         K::assessment_tool,
         false,
         "2026-1",
         -30,
         -30,
         false,
         {{Lang::fr, "outil-depistage-commun-2026-1", "2026-1", -30}}},
        {Key::intake_sheet,
         "Fiche d'accueil téléphonique (ancienne)",
         "Telephone intake sheet (former)",
         "Remplacée par le formulaire d'orientation commun.",
         "Replaced by the common referral form.",
         K::form,
         false,
         "2023-1",
         -900,
         -900,
         true,
         {}},
    };
    return v;
}

// A provider's confirmation: of which tool, for which organisation, by which manager, which
// version and on which day (days from today).
struct AdoptionSeed {
    Key tool;
    const char* organisation;
    const char* manager;
    const char* version_label;
    int day;
};

// Every standing shows: the consent form's 2026-1 adopted by some, 2025-2 only by others; the
// plan template's 3.0 by Maple only; nothing at all by home care for the consent form.
const std::vector<AdoptionSeed>& adoptions() {
    using K = Key;
    static const std::vector<AdoptionSeed> v = {
        {K::consent, blue_river, manager1, "2025-2", -200},
        {K::consent, blue_river, manager1, "2026-1", -40},
        {K::consent, maple, manager2, "2025-2", -190},
        {K::consent, north, manager3, "2026-1", -30},
        {K::consent, treatment_centre, manager_ctc, "2025-2", -180},
        {K::consent, mental_health, manager_two, "2026-1", -10},
        {K::referral, blue_river, manager1, "2025-3", -390},
        {K::referral, maple, manager2, "2025-3", -380},
        {K::referral, treatment_centre, manager_ctc, "2025-3", -370},
        {K::referral, mental_health, manager_two, "2025-3", -300},
        {K::referral, home_care, manager_two, "2025-3", -300},
        {K::plan, blue_river, manager1, "2.1", -280},
        {K::plan, maple, manager2, "3.0", -12},
        {K::plan, north, manager3, "2.1", -250},
        {K::plan, mental_health, manager_two, "2.1", -240},
        {K::plan, home_care, manager_two, "2.1", -240},
        {K::transition, blue_river, manager1, "2025-1", -480},
        {K::transition, north, manager3, "2025-1", -470},
        {K::transition, treatment_centre, manager_ctc, "2025-1", -460},
        {K::transition, home_care, manager_two, "2025-1", -200},
    };
    return v;
}

// Latin-1 text for a PDF string in WinAnsiEncoding (the accents of French are in it; anything
// else becomes "?"), with its delimiters escaped.
std::string pdf_text(const std::string& utf8) {
    std::string out;
    for (char32_t c : code_points(utf8)) {
        const char b = c < 0x100 ? static_cast<char>(static_cast<unsigned char>(c)) : '?';
        if (b == '(' || b == ')' || b == '\\') out += '\\';
        out += b;
    }
    return out;
}

// A one-page PDF with these lines (Helvetica): small, valid, and saying what it is.
std::string synthetic_pdf(const std::vector<std::string>& lines) {
    std::string content = "BT /F1 14 Tf 72 720 Td 18 TL";
    for (const auto& line : lines) content += " (" + pdf_text(line) + ") Tj T*";
    content += " ET";
    const std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    };
    std::string out = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(out.size());
        out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = out.size();
    out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (auto at : offsets) {
        const std::string offset = std::to_string(at);
        out += std::string(offset.size() < 10 ? 10 - offset.size() : 0, '0') + offset + " 00000 n \n";
    }
    out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) +
           "\n%%EOF\n";
    return out;
}

}  // namespace

bool load_demo_tools(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM tools LIMIT 1")) return false;
    const auto area = tx->query_one(
        "SELECT o.sda_id, u.id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = "
        "m.organisation_id WHERE u.email = ? AND m.role = ? AND m.active = 1",
        {std::string(admin), std::string(d::code(d::Role::ca_admin))});
    if (!area) return false;
    const std::int64_t sda = area->i64(0);
    const std::int64_t by_admin = area->i64(1);

    std::map<std::string, std::int64_t> orgs;
    for (const auto& r : tx->query("SELECT id, name_en FROM organisations WHERE sda_id = ? AND active = 1", {sda}))
        orgs[r.str(1)] = r.i64(0);
    std::map<std::string, std::int64_t> users;
    for (const auto& a : adoptions()) {
        if (!orgs.contains(a.organisation)) return false;
        // The manager confirms for an organisation they manage.
        const auto manager = tx->query_one(
            "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = ? AND m.organisation_id = ? AND "
            "m.role = ? AND m.active = 1",
            {std::string(a.manager), orgs.at(a.organisation), std::string(d::code(d::Role::provider_manager))});
        if (!manager) return false;
        users[a.manager] = manager->i64(0);
    }

    const TimePoint now = clock.now();
    const Date today = date_of(now);
    auto day = [&](int n) { return add_days(today, n); };
    // That day at today's time, as stored timestamps read.
    auto stamp = [&](int n) { return format_iso(now + std::chrono::hours(24) * n); };

    std::map<Key, std::int64_t> ids;
    for (const auto& t : tools()) {
        // Recorded on its day, its current label set on its own (a second version when later),
        // retired a month ago.
        std::int64_t version = t.version_day > t.created ? 2 : 1;
        int updated = t.version_day;
        if (t.retired) ++version, updated = -30;
        const auto id =
            tx->query_one(
                  "INSERT INTO tools (sda_id, title_fr, title_en, description_fr, description_en, kind, mandatory, "
                  "version_label, version_set_on, retired, version, created_at, created_by, updated_at, updated_by) VALUES (?, "
                  "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {sda, std::string(t.title_fr), std::string(t.title_en), std::string(t.description_fr),
                   std::string(t.description_en), std::string(d::code(t.kind)), std::int64_t{t.mandatory ? 1 : 0},
                   std::string(t.version_label), day(t.version_day).iso(), std::int64_t{t.retired ? 1 : 0}, version,
                   stamp(t.created), by_admin, stamp(updated), by_admin})
                ->i64(0);
        ids[t.key] = id;
        for (const auto& f : t.files) {
            const bool fr = f.lang == Lang::fr;
            const std::string data = synthetic_pdf({fr ? t.title_fr : t.title_en, std::string("Version ") + f.version_label,
                                                    fr ? "Fichier de démonstration fictif : ce n'est pas un vrai formulaire."
                                                       : "Fictional demonstration file: this is not a real form.",
                                                    "Arrimage (demo)"});
            tx->exec(
                "INSERT INTO tool_files (tool_id, lang, filename, content_type, size, checksum, content, version_label, "
                "uploaded_at, uploaded_by) VALUES (?, ?, ?, 'application/pdf', ?, ?, ?, ?, ?, ?)",
                {id, std::string(code(f.lang)), std::string(f.name) + ".pdf", static_cast<std::int64_t>(data.size()),
                 hash_token(data), base64url(data), std::string(f.version_label), stamp(f.day), by_admin});
        }
    }

    for (const auto& a : adoptions())
        tx->exec(
            "INSERT INTO tool_adoptions (tool_id, organisation_id, version_label, adopted_on, adopted_by) VALUES (?, ?, ?, ?, ?)",
            {ids.at(a.tool), orgs.at(a.organisation), std::string(a.version_label), day(a.day).iso(), users.at(a.manager)});
    tx->commit();
    return true;
}

}  // namespace arrimage::app
