#include "store/person_repo.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "core/text.hpp"
#include "core/time.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

std::int64_t b(bool v) {
    return v ? 1 : 0;
}

Value opt_text(const std::optional<std::string>& v) {
    return v ? Value{*v} : Value{Null{}};
}

void append_in(std::string& sql, Params& params, const std::vector<std::int64_t>& ids) {
    sql += " IN (";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        sql += i ? ", ?" : "?";
        params.emplace_back(ids[i]);
    }
    sql += ")";
}

template <typename E, typename Parse>
d::EnumSet<E> set_of(const std::string& codes, Parse parse) {
    d::EnumSet<E> out;
    for (const auto& w : split_spaces(codes))
        if (auto v = parse(w)) out.insert(*v);
    return out;
}

std::string codes_of(d::CategorySet s) {
    std::string out;
    for (auto c : d::all_categories())
        if (s.contains(c)) out += (out.empty() ? "" : " ") + std::string(d::code(c));
    return out;
}
std::string codes_of(d::PurposeSet s) {
    std::string out;
    for (auto p : d::all_purposes())
        if (s.contains(p)) out += (out.empty() ? "" : " ") + std::string(d::code(p));
    return out;
}

TimePoint time_of(const std::string& iso) {
    return parse_iso(iso).value_or(TimePoint{});
}
std::optional<TimePoint> opt_time(const std::optional<std::string>& iso) {
    if (!iso) return std::nullopt;
    return parse_iso(*iso);
}

d::Relationship agency_relationship(d::Role role) {
    return role == d::Role::privacy_officer ? d::Relationship::privacy_officer : d::Relationship::coordinating_agency;
}

// Whether (role, relationship) could permit `action` on identity and contact under the
// relationship's purpose if the family consented to everything: the SQL filter of lists uses
// it so that files the actor could never see are not even read.
bool could_ever(const d::Actor& actor, d::Relationship r, d::Action action, TimePoint now) {
    d::ConsentDirective all;
    all.effect = d::DirectiveEffect::permit;
    all.organisations = {actor.organisation_id};
    for (auto c : d::consentable_categories()) all.categories.insert(c);
    for (auto p : d::consentable_purposes()) all.purposes.insert(p);
    all.given_at = TimePoint{};
    d::AccessRequest q;
    q.actor = actor;
    q.relationship = r;
    q.category = d::Category::identity_contact;
    q.purpose = purpose_for(r);
    q.action = action;
    q.directives = std::span<const d::ConsentDirective>(&all, 1);
    return d::decide(q, now).effect != d::Effect::deny;
}

using Consent = FileConsent;

// Whether `user_id` is an API client's service account (features/fhir): a system, not a person.
bool is_service_account(Tx& tx, std::int64_t user_id) {
    return tx.query_one("SELECT 1 FROM api_clients WHERE user_id = ?", {user_id}).has_value();
}

}  // namespace

// The consent records of these files, and the actor's break-the-glass grants on them.
std::map<std::int64_t, Consent> load_consent(Tx& tx, const std::vector<std::int64_t>& ids, std::int64_t user_id) {
    std::map<std::int64_t, Consent> out;
    if (ids.empty()) return out;
    std::map<std::int64_t, std::vector<std::int64_t>> orgs;
    {
        Params p;
        std::string sql =
            "SELECT o.directive_id, o.organisation_id FROM consent_directive_organisations o "
            "JOIN consent_directives c ON c.id = o.directive_id WHERE c.person_id";
        append_in(sql, p, ids);
        sql += " ORDER BY o.directive_id, o.organisation_id";
        for (const auto& r : tx.query(sql, p)) orgs[r.i64(0)].push_back(r.i64(1));
    }
    {
        Params p;
        std::string sql =
            "SELECT id, person_id, version, effect, categories, purposes, given_by, given_by_name, method, "
            "given_at, expires_at, withdrawn_at, witness_name FROM consent_directives WHERE person_id";
        append_in(sql, p, ids);
        sql += " ORDER BY id";
        for (const auto& r : tx.query(sql, p)) {
            d::ConsentDirective c;
            c.id = r.i64(0);
            c.version = static_cast<int>(r.i64(2));
            c.effect = d::parse_directive_effect(r.str(3)).value_or(d::DirectiveEffect::deny);
            c.categories = set_of<d::Category>(r.str(4), d::parse_category);
            c.purposes = set_of<d::Purpose>(r.str(5), d::parse_purpose);
            c.given_by = d::parse_given_by(r.str(6)).value_or(d::GivenBy::substitute_decision_maker);
            c.given_by_name = r.str(7);
            c.method = d::parse_consent_method(r.str(8)).value_or(d::ConsentMethod::written);
            c.given_at = time_of(r.str(9));
            c.expires_at = opt_time(r.opt_str(10));
            c.withdrawn_at = opt_time(r.opt_str(11));
            c.witness_name = r.str(12);
            if (auto it = orgs.find(c.id); it != orgs.end()) c.organisations = it->second;
            out[r.i64(1)].directives.push_back(std::move(c));
        }
    }
    {
        Params p;
        std::string sql =
            "SELECT id, person_id, organisation_id, category, requested_by, created_at, revoked_at, reason "
            "FROM lockbox_entries WHERE person_id";
        append_in(sql, p, ids);
        sql += " ORDER BY id";
        for (const auto& r : tx.query(sql, p)) {
            d::LockboxEntry l;
            l.id = r.i64(0);
            l.organisation_id = r.i64(2);
            // An unknown category withholds identity and contact: fail closed.
            l.category = d::parse_category(r.str(3)).value_or(d::Category::identity_contact);
            l.requested_by = d::parse_given_by(r.str(4)).value_or(d::GivenBy::substitute_decision_maker);
            l.created_at = time_of(r.str(5));
            l.revoked_at = opt_time(r.opt_str(6));
            l.reason = r.str(7);
            out[r.i64(1)].lockbox.push_back(l);
        }
    }
    {
        Params p{user_id};
        std::string sql =
            "SELECT id, person_id, user_id, organisation_id, reason, granted_at, expires_at "
            "FROM break_glass_grants WHERE user_id = ? AND person_id";
        append_in(sql, p, ids);
        for (const auto& r : tx.query(sql, p)) {
            d::BreakGlassGrant g;
            g.id = r.i64(0);
            g.user_id = r.i64(2);
            g.organisation_id = r.i64(3);
            g.reason = r.str(4);
            g.granted_at = time_of(r.str(5));
            g.expires_at = time_of(r.str(6));
            out[r.i64(1)].grants.push_back(std::move(g));
        }
    }
    return out;
}

namespace {

// The files where the actor has a file-team place of one of `kinds` in effect at `now`,
// found through the file_team_user index; as in facts(), only places of an organisation of
// the file's own area count.
std::string team_clause(const std::vector<std::string>& kinds) {
    std::string sql =
        "SELECT ft.person_id FROM file_team ft JOIN people tp ON tp.id = ft.person_id "
        "JOIN organisations tor ON tor.id = ft.organisation_id AND tor.sda_id = tp.sda_id "
        "WHERE ft.user_id = ? AND ft.organisation_id = ? "
        "AND ft.from_at <= ? AND (ft.until_at IS NULL OR ft.until_at > ?) AND ft.kind IN (";
    for (std::size_t i = 0; i < kinds.size(); ++i) sql += i ? ", '" + kinds[i] + "'" : "'" + kinds[i] + "'";
    return sql + ")";
}

}  // namespace

d::Relationship team_relationship(Tx& tx, const Clock& clock, const d::Actor& actor, std::int64_t person_id) {
    const auto t = format_iso(clock.now());
    d::Relationship rel = d::Relationship::none;
    for (const auto& r : tx.query("SELECT ft.kind FROM file_team ft JOIN people p ON p.id = ft.person_id "
                                  "JOIN organisations o ON o.id = ft.organisation_id AND o.sda_id = p.sda_id "
                                  "WHERE ft.person_id = ? AND ft.user_id = ? AND ft.organisation_id = ? "
                                  "AND ft.from_at <= ? AND (ft.until_at IS NULL OR ft.until_at > ?)",
                                  {person_id, actor.user_id, actor.organisation_id, t, t})) {
        if (r.str(0) == "assigned_coordinator")
            rel = d::Relationship::assigned_coordinator;
        else if (rel == d::Relationship::none)
            rel = d::Relationship::team_member;
    }
    return rel;
}

d::Purpose purpose_for(d::Relationship r) {
    switch (r) {
        case d::Relationship::coordinating_agency:
            return d::Purpose::referral;
        case d::Relationship::privacy_officer:
            return d::Purpose::oversight;
        default:
            return d::Purpose::coordination;
    }
}

PersonRepo::PersonRepo(AccessContext ctx) : ctx_(std::move(ctx)), guard_(ctx_) {
    if (!ctx_.actor) throw std::logic_error("PersonRepo needs a signed-in actor");
}

std::string PersonRepo::now() const {
    return format_iso(ctx_.clock.now());
}

namespace {
// A family account's relationship to the file: its active family access, if any.
void family_standing(Tx& tx, const d::Actor& actor, bool capable, FileAccess& f) {
    auto a = tx.query_one(
        "SELECT id, relation, authority FROM family_access "
        "WHERE person_id = ? AND user_id = ? AND revoked_at IS NULL",
        {f.person_id, actor.user_id});
    f.purpose = d::Purpose::coordination;
    if (!a) return;
    f.family_access_id = a->i64(0);
    f.relationship = a->str(1) == "self" ? d::Relationship::self : d::Relationship::family_of;
    f.family.authority = a->boolean(2);
    f.family.subject_capable = capable;
    for (const auto& w :
         tx.query("SELECT category FROM family_withholdings WHERE family_access_id = ? AND revoked_at IS NULL", {a->i64(0)}))
        if (auto c = d::parse_category(w.str(0))) f.family.withheld.insert(*c);
}
}  // namespace

std::optional<FileAccess> file_access(Tx& tx, const Clock& clock, const d::Actor& actor, std::int64_t person_id) {
    auto row = tx.query_one("SELECT coordinating_agency_id, sda_id, capable_of_consent FROM people WHERE id = ?", {person_id});
    if (!row) return std::nullopt;
    FileAccess f;
    f.person_id = person_id;
    f.agency_id = row->i64(0);
    f.sda_id = row->i64(1);
    if (actor.role == d::Role::family) {
        family_standing(tx, actor, row->boolean(2), f);
        return f;
    }
    f.relationship = team_relationship(tx, clock, actor, person_id);
    if (f.relationship == d::Relationship::none && f.agency_id == actor.organisation_id)
        f.relationship = agency_relationship(actor.role);
    f.purpose = purpose_for(f.relationship);
    auto consent = load_consent(tx, {person_id}, actor.user_id);
    if (auto it = consent.find(person_id); it != consent.end()) f.consent = std::move(it->second);
    return f;
}

d::AccessRequest FileAccess::request(d::Category c, d::Action a) const {
    d::AccessRequest q;
    q.relationship = relationship;
    q.category = c;
    q.purpose = purpose;
    q.action = a;
    q.directives = consent.directives;
    q.lockbox = consent.lockbox;
    q.break_glass = consent.grants;
    q.family = family;
    return q;
}

std::optional<PersonRepo::FileFacts> PersonRepo::facts(std::int64_t person_id, Door door) {
    auto f = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
    // The registry is the staff's: a family account reaches its file through its own pages
    // (features/family), never here (no relationship: not found, on record); and the family's
    // pages are the family's.
    if (f && (door == Door::staff) == (f->family_access_id != 0)) {
        f->relationship = d::Relationship::none;
        f->family = {};
        f->family_access_id = 0;
    }
    // The family's standing does not rest on consent (file_access leaves it out); keeping the
    // consent record needs it.
    if (f && f->family_access_id != 0) {
        auto consent = load_consent(ctx_.tx, {person_id}, ctx_.actor->user_id);
        if (auto it = consent.find(person_id); it != consent.end()) f->consent = std::move(it->second);
    }
    return f;
}

d::Decision PersonRepo::decide(const FileFacts& f, d::Category c, d::Action a, std::optional<std::int64_t> person_id,
                               Record how) {
    return guard_.decide(f.request(c, a), {person_id}, how);
}

// Keeping the consent record (directives, lockbox) is the assigned coordinator's or the
// coordinating agency's work and does not itself rest on consent: the decision is the
// policy's for creating identity and contact information as if the family had consented,
// and only for those two relationships. The lockbox still applies.
// The family keeps it too (features/family): its own decision under the family profile, where
// a parent without authority, a youth not capable, and a parent of a capable youth (who decides
// for themselves) are refused.
d::Decision PersonRepo::decide_consent_keeping(const FileFacts& f, std::int64_t person_id, d::Action action, Record how) {
    if (d::is_family_relationship(f.relationship)) return decide(f, d::Category::identity_contact, action, person_id, how);
    if (f.relationship != d::Relationship::assigned_coordinator && f.relationship != d::Relationship::coordinating_agency) {
        d::AccessRequest q;
        q.relationship = f.relationship;
        q.purpose = f.purpose;
        q.action = action;
        return guard_.deny_unserved(q, {person_id}, how);
    }
    FileFacts probe;
    probe.relationship = f.relationship;
    probe.purpose = f.purpose;
    probe.consent.lockbox = f.consent.lockbox;
    d::ConsentDirective all;
    all.organisations = {ctx_.actor->organisation_id};
    for (auto c : d::consentable_categories()) all.categories.insert(c);
    for (auto p : d::consentable_purposes()) all.purposes.insert(p);
    probe.consent.directives.push_back(all);
    return decide(probe, d::Category::identity_contact, action, person_id, how);
}

// ---- registration and duplicates

DuplicateCheck PersonRepo::find_duplicates(const d::Person& p) {
    return guard_.operation([&]() -> DuplicateCheck {
        DuplicateCheck out;
        const auto me = d::name_and_birth(p);
        Params params;
        std::string sql = "SELECT id, given_key, family_key, date_of_birth FROM people WHERE active = 1 AND date_of_birth IN (";
        const auto dates = d::close_birth_dates(p.date_of_birth);
        for (std::size_t i = 0; i < dates.size(); ++i) {
            sql += i ? ", ?" : "?";
            params.emplace_back(dates[i]);
        }
        sql += ") ORDER BY id";
        std::vector<std::int64_t> matches;
        for (const auto& r : ctx_.tx.query(sql, params)) {
            auto dob = parse_date(r.str(3));
            if (dob && d::probable_duplicate(me, {r.str(1), r.str(2), *dob})) matches.push_back(r.i64(0));
        }
        for (auto id : matches) {
            auto f = facts(id);
            if (!f) continue;
            const auto decision = decide(*f, d::Category::identity_contact, d::Action::search, id);
            if (!decision.permitted()) {
                // Only the actor's own agency's files are counted: a count of another agency's
                // files would tell anyone registering a child whether that child is known elsewhere.
                if (f->agency_id == ctx_.actor->organisation_id) ++out.hidden;
                continue;
            }
            auto r = ctx_.tx.query_one("SELECT given_name, family_name, date_of_birth FROM people WHERE id = ?", {id});
            out.visible.push_back({id, r->str(0), r->str(1), r->str(2)});
        }
        return out;
    });
}

Result<RegisterOutcome> PersonRepo::register_person(const Registration& in) {
    return guard_.operation([&]() -> Result<RegisterOutcome> {
        if (in.family.empty()) return Error::invalid_field("contact_given_name", "people.family_member_required");
        auto agency = ctx_.tx.query_one(
            "SELECT o.sda_id FROM organisations o JOIN organisation_csp_roles r ON r.organisation_id = o.id "
            "WHERE o.id = ? AND o.active = 1 AND r.csp_role = 'coordinating_agency'",
            {ctx_.actor->organisation_id});
        FileFacts f;
        f.relationship = agency ? agency_relationship(ctx_.actor->role) : d::Relationship::none;
        f.purpose = d::Purpose::referral;  // registration is the intake of a referral
        // The create is audited once it happened, with the new file's id.
        const auto decision = decide(f, d::Category::identity_contact, d::Action::create, std::nullopt, Record::refusal);
        if (!decision.permitted()) return guard_.refuse(Error::forbidden());

        RegisterOutcome out;
        out.duplicates = find_duplicates(in.person);
        if (out.duplicates.any() && !in.confirmed_distinct) return out;

        const auto& p = in.person;
        const auto t = now();
        const auto actor = ctx_.actor->user_id;
        auto row = ctx_.tx.query_one(
            "INSERT INTO people (coordinating_agency_id, sda_id, given_name, family_name, preferred_name, date_of_birth, "
            "preferred_language, official_language, school, phone, email, address, postal_code, capable_of_consent, given_key, "
            "family_key, search_key, created_at, created_by, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {ctx_.actor->organisation_id,
             agency->i64(0),
             p.given_name,
             p.family_name,
             p.preferred_name,
             p.date_of_birth.iso(),
             p.preferred_language,
             std::string(code(p.official_language)),
             p.school,
             opt_text(p.phone),
             opt_text(p.email),
             p.address,
             p.postal_code,
             b(p.capable_of_consent),
             d::name_key(p.given_name),
             d::name_key(p.family_name),
             d::search_key(p.given_name, p.family_name, p.preferred_name),
             t,
             actor,
             t,
             actor});
        out.person_id = row->i64(0);
        for (const auto& m : in.family) {
            ctx_.tx.exec(
                "INSERT INTO family_members (person_id, given_name, family_name, relationship, "
                "is_substitute_decision_maker, phone, email, preferred_language, created_at, created_by, updated_at, "
                "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {out.person_id, m.given_name, m.family_name, std::string(d::code(m.relationship)),
                 b(m.is_substitute_decision_maker), opt_text(m.phone), opt_text(m.email), m.preferred_language, t, actor, t,
                 actor});
        }
        decide(f, d::Category::identity_contact, d::Action::create, out.person_id);
        return out;
    });
}

// ---- reading

Result<PersonFile> PersonRepo::read_file(std::int64_t person_id) {
    return read(person_id, Reading::file);
}

Result<PersonFile> PersonRepo::read_identity(std::int64_t person_id) {
    return read(person_id, Reading::identity);
}

Result<PersonFile> PersonRepo::read(std::int64_t person_id, Reading what) {
    return guard_.operation([&]() -> Result<PersonFile> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        const auto identity = decide(*f, d::Category::identity_contact, d::Action::read, person_id);
        if (identity.effect == d::Effect::deny) return guard_.refuse(f->relationship);
        PersonFile out;
        out.id = person_id;
        out.coordinating_agency_id = f->agency_id;
        out.sda_id = f->sda_id;
        out.relationship = f->relationship;
        out.purpose = f->purpose;
        out.break_glass = identity.break_glass;
        if (auto o = ctx_.tx.query_one("SELECT name_fr, name_en FROM organisations WHERE id = ?", {f->agency_id})) {
            out.agency_name_fr = o->str(0);
            out.agency_name_en = o->str(1);
        }
        if (identity.withheld()) {
            out.withheld.push_back(d::Category::identity_contact);
        } else {
            auto r = ctx_.tx.query_one(
                "SELECT given_name, family_name, preferred_name, date_of_birth, preferred_language, "
                "official_language, phone, email, address, postal_code, capable_of_consent "
                "FROM people WHERE id = ?",
                {person_id});
            PersonIdentity i;
            i.given_name = r->str(0);
            i.family_name = r->str(1);
            i.preferred_name = r->str(2);
            i.date_of_birth = r->str(3);
            i.preferred_language = r->str(4);
            i.official_language = r->str(5);
            i.phone = r->str(6);
            i.email = r->str(7);
            i.address = r->str(8);
            i.postal_code = r->str(9);
            i.capable_of_consent = r->boolean(10);
            out.identity = std::move(i);
            for (const auto& m : ctx_.tx.query("SELECT id, given_name, family_name, relationship, is_substitute_decision_maker, "
                                               "phone, email, preferred_language FROM family_members "
                                               "WHERE person_id = ? AND active = 1 ORDER BY id",
                                               {person_id}))
                out.family.push_back({m.i64(0), m.str(1), m.str(2), m.str(3), m.boolean(4), m.str(5), m.str(6), m.str(7)});
            if (what == Reading::file) {
                const auto t = now();
                for (const auto& m : ctx_.tx.query("SELECT ft.id, ft.user_id, u.display_name, ft.organisation_id, o.name_fr, "
                                                   "o.name_en, ft.kind, ft.from_at "
                                                   "FROM file_team ft JOIN users u ON u.id = ft.user_id "
                                                   "JOIN organisations o ON o.id = ft.organisation_id "
                                                   "WHERE ft.person_id = ? AND ft.from_at <= ? "
                                                   "AND (ft.until_at IS NULL OR ft.until_at > ?) "
                                                   "ORDER BY CASE ft.kind WHEN 'assigned_coordinator' THEN 0 ELSE 1 END, ft.id",
                                                   {person_id, t, t}))
                    out.team.push_back({m.i64(0), m.i64(1), m.str(2), m.i64(3), m.str(4), m.str(5), m.str(6), m.str(7)});
            }
        }
        if (what == Reading::identity) return out;
        const auto education = decide(*f, d::Category::education, d::Action::read, person_id);
        if (education.permitted()) {
            auto r = ctx_.tx.query_one("SELECT school FROM people WHERE id = ?", {person_id});
            out.school = r->str(0);
        } else if (education.withheld()) {
            out.withheld.push_back(d::Category::education);
        }
        out.break_glass = out.break_glass || education.break_glass;
        return out;
    });
}

std::vector<PersonSummary> PersonRepo::list(std::string_view query, int limit, int offset) {
    Filter filter;
    filter.query = std::string(query);
    return listed(filter, limit, offset, Paging::rows_read);
}

std::vector<PersonSummary> PersonRepo::list(const Filter& filter, int limit, int offset) {
    return listed(filter, limit, offset, Paging::files_listed);
}

std::vector<PersonSummary> PersonRepo::listed(const Filter& filter, int limit, int offset, Paging paging) {
    return guard_.operation([&]() -> std::vector<PersonSummary> {
        std::vector<PersonSummary> out;
        limit = std::max(0, limit);
        offset = std::max(0, offset);
        if (limit == 0) return out;
        const auto now_tp = ctx_.clock.now();
        const auto& actor = *ctx_.actor;
        // A name search is audited as a search, so that the privacy officer can find them; so is a
        // search by birth date.
        const auto query_words = d::name_query_words(filter.query);
        const bool searching = !query_words.empty() || filter.birth_date.has_value();
        const auto action = searching ? d::Action::search : d::Action::list;
        std::vector<std::string> kinds;
        if (could_ever(actor, d::Relationship::assigned_coordinator, action, now_tp)) kinds.push_back("assigned_coordinator");
        if (could_ever(actor, d::Relationship::team_member, action, now_tp)) kinds.push_back("team_member");
        // Agency files only for staff of an organisation that is a coordinating agency (other
        // organisations coordinate no file: no need to look).
        const bool agency = could_ever(actor, agency_relationship(actor.role), action, now_tp) &&
                            ctx_.tx.query_one(
                                "SELECT 1 FROM organisation_csp_roles WHERE organisation_id = ? "
                                "AND csp_role = 'coordinating_agency'",
                                {actor.organisation_id});
        if (kinds.empty() && !agency) return out;

        const auto t = now();
        Params where_params;
        std::string select =
            "SELECT p.id, p.coordinating_agency_id, p.given_name, p.family_name, p.preferred_name, p.date_of_birth";
        if (!kinds.empty()) {
            select +=
                ", (SELECT MIN(CASE ft.kind WHEN 'assigned_coordinator' THEN 1 ELSE 2 END) FROM file_team ft "
                "WHERE ft.person_id = p.id AND ft.user_id = ? AND ft.organisation_id = ? AND ft.from_at <= ? "
                "AND (ft.until_at IS NULL OR ft.until_at > ?))";
            where_params.insert(where_params.end(), {actor.user_id, actor.organisation_id, t, t});
        } else {
            select += ", NULL";
        }
        std::string where = " FROM people p WHERE p.active = 1 AND (";
        if (!kinds.empty()) {
            where += "p.id IN (" + team_clause(kinds) + ")";
            where_params.insert(where_params.end(), {actor.user_id, actor.organisation_id, t, t});
        }
        if (agency) {
            where += kinds.empty() ? "p.coordinating_agency_id = ?" : " OR p.coordinating_agency_id = ?";
            where_params.emplace_back(actor.organisation_id);
        }
        where += ")";
        for (const auto& w : query_words) {
            where += " AND p.search_key LIKE ?";
            where_params.emplace_back("% " + w + "%");
        }
        if (filter.id) {
            where += " AND p.id = ?";
            where_params.emplace_back(*filter.id);
        }
        if (filter.birth_date) {
            switch (filter.birth_date_bound) {
                case BirthDateBound::on:
                    where += " AND p.date_of_birth = ?";
                    break;
                case BirthDateBound::on_or_after:
                    where += " AND p.date_of_birth >= ?";
                    break;
                case BirthDateBound::on_or_before:
                    where += " AND p.date_of_birth <= ?";
                    break;
            }
            where_params.emplace_back(*filter.birth_date);
        }
        select += ", p.family_key, p.given_key" + where;

        const bool of_listed = paging == Paging::files_listed;
        int skipped = 0;  // files listed before the page, when the page counts files listed
        std::optional<Row> last;
        for (;;) {
            // The next batch in the list's order, after the last row of the previous one (keyset:
            // the rows already read are never read again).
            std::string sql = select;
            Params params = where_params;
            if (last) {
                sql += " AND (p.family_key, p.given_key, p.id) > (?, ?, ?)";
                params.insert(params.end(), {last->str(7), last->str(8), last->i64(0)});
            }
            sql += " ORDER BY p.family_key, p.given_key, p.id LIMIT ?";
            if (of_listed) {
                params.emplace_back(std::int64_t{list_batch});
            } else {
                sql += " OFFSET ?";
                params.emplace_back(std::int64_t{limit});
                params.emplace_back(std::int64_t{offset});
            }
            const auto rows = ctx_.tx.query(sql, params);

            std::vector<std::int64_t> ids;
            for (const auto& r : rows) ids.push_back(r.i64(0));
            auto consent = load_consent(ctx_.tx, ids, actor.user_id);
            for (const auto& r : rows) {
                const bool before_page = of_listed && skipped < offset;
                FileFacts f;
                f.person_id = r.i64(0);
                f.agency_id = r.i64(1);
                const auto rank = r.opt_i64(6);
                if (rank && *rank == 1)
                    f.relationship = d::Relationship::assigned_coordinator;
                else if (rank && *rank == 2)
                    f.relationship = d::Relationship::team_member;
                else if (f.agency_id == actor.organisation_id)
                    f.relationship = agency_relationship(actor.role);
                f.purpose = purpose_for(f.relationship);
                if (auto it = consent.find(f.person_id); it != consent.end()) f.consent = std::move(it->second);
                const auto decision =
                    decide(f, d::Category::identity_contact, action, f.person_id, before_page ? Record::never : Record::always);
                if (decision.effect == d::Effect::deny) continue;
                // A withheld identity is not searchable: a match would reveal the name (or birth date).
                if (decision.withheld() && searching) continue;
                if (before_page) {
                    ++skipped;
                    continue;
                }
                PersonSummary s;
                s.id = f.person_id;
                s.coordinating_agency_id = f.agency_id;
                s.relationship = f.relationship;
                s.withheld = decision.withheld();
                if (!s.withheld) {
                    s.given_name = r.str(2);
                    s.family_name = r.str(3);
                    s.preferred_name = r.str(4);
                    s.date_of_birth = r.str(5);
                }
                out.push_back(std::move(s));
                if (of_listed && static_cast<int>(out.size()) >= limit) return out;
            }
            if (!of_listed || rows.size() < static_cast<std::size_t>(list_batch)) return out;
            last = rows.back();
        }
    });
}

// ---- changes

Result<std::int64_t> PersonRepo::add_to_team(std::int64_t person_id, std::int64_t user_id, std::int64_t organisation_id,
                                             d::TeamKind kind) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        // Keeping the team is the agency's work: its staff keep it as the agency even when they
        // hold a place on the team themselves (an agency coordinator assigned to the file, before
        // any consent, still reassigns it).
        if (f->agency_id == ctx_.actor->organisation_id) {
            f->relationship = agency_relationship(ctx_.actor->role);
            f->purpose = purpose_for(f->relationship);
        }
        // The team is kept by the file's coordinating agency and its assigned coordinator; other
        // team members are refused whatever the consent (audited as a refused update).
        const bool keeper =
            f->relationship == d::Relationship::assigned_coordinator || f->relationship == d::Relationship::coordinating_agency;
        const auto decision = keeper ? decide(*f, d::Category::identity_contact, d::Action::update, person_id)
                                     : decide_consent_keeping(*f, person_id, d::Action::update);
        if (!decision.permitted()) return guard_.refuse(f->relationship);
        auto member = ctx_.tx.query_one(
            "SELECT o.sda_id FROM memberships m JOIN users u ON u.id = m.user_id "
            "JOIN organisations o ON o.id = m.organisation_id "
            "WHERE m.user_id = ? AND m.organisation_id = ? AND m.active = 1 AND u.active = 1 "
            "AND o.active = 1",
            {user_id, organisation_id});
        if (!member) {
            return Error::invalid_field("user_id", "people.not_a_member");
        }
        // Only an organisation serving the file's area joins its team: a team place opens the file.
        if (member->i64(0) != f->sda_id) {
            return Error::invalid_field("user_id", "people.member_other_area");
        }
        // An API client's service account may hold a team member's place (the file opens to its
        // organisation's system as the consent allows) but never coordinate the child's services.
        if (kind == d::TeamKind::assigned_coordinator && is_service_account(ctx_.tx, user_id)) {
            return Error::invalid_field("kind", "people.team.service_account_not_coordinator");
        }
        const auto t = now();
        const std::string k(d::code(kind));
        if (auto same = ctx_.tx.query_one("SELECT id FROM file_team WHERE person_id = ? AND user_id = ? AND organisation_id = ? "
                                          "AND kind = ? AND until_at IS NULL",
                                          {person_id, user_id, organisation_id, k})) {
            return same->i64(0);
        }
        if (kind == d::TeamKind::assigned_coordinator)
            ctx_.tx.exec(
                "UPDATE file_team SET until_at = ? WHERE person_id = ? AND kind = 'assigned_coordinator' AND until_at IS NULL",
                {t, person_id});
        auto row = ctx_.tx.query_one(
            "INSERT INTO file_team (person_id, user_id, organisation_id, kind, from_at, created_at, "
            "created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {person_id, user_id, organisation_id, k, t, t, ctx_.actor->user_id});
        return row->i64(0);
    });
}

Result<void> PersonRepo::may_update(std::int64_t person_id, d::Category c) {
    return guard_.operation([&]() -> Result<void> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        if (decide(*f, c, d::Action::update, person_id, Record::refusal).permitted()) return ok();
        return guard_.refuse(f->relationship);
    });
}

Result<std::int64_t> PersonRepo::add_family_member(std::int64_t person_id, const d::FamilyMember& m) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        const auto decision = decide(*f, d::Category::identity_contact, d::Action::update, person_id);
        if (!decision.permitted()) return guard_.refuse(f->relationship);
        const auto t = now();
        auto row = ctx_.tx.query_one(
            "INSERT INTO family_members (person_id, given_name, family_name, relationship, is_substitute_decision_maker, phone, "
            "email, preferred_language, created_at, created_by, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {person_id, m.given_name, m.family_name, std::string(d::code(m.relationship)), b(m.is_substitute_decision_maker),
             opt_text(m.phone), opt_text(m.email), m.preferred_language, t, ctx_.actor->user_id, t, ctx_.actor->user_id});
        return row->i64(0);
    });
}

std::vector<TeamChoice> PersonRepo::team_choices(std::int64_t sda_id) {
    std::vector<TeamChoice> out;
    for (const auto& r : ctx_.tx.query("SELECT u.id, o.id, u.display_name, o.name_fr, o.name_en, m.role, "
                                       "CASE WHEN u.id IN (SELECT user_id FROM api_clients) THEN 1 ELSE 0 END FROM memberships m "
                                       "JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id "
                                       "WHERE o.sda_id = ? AND o.active = 1 AND u.active = 1 AND m.active = 1 "
                                       "AND m.role IN ('coordinator', 'provider_manager', 'participant_staff') "
                                       "ORDER BY o.name_en, u.display_name, u.id",
                                       {sda_id}))
        out.push_back({r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), r.boolean(6)});
    return out;
}

Result<std::int64_t> PersonRepo::record_directive(std::int64_t person_id, const d::ConsentDirective& in,
                                                  std::optional<std::int64_t> supersedes) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        if (!decide_consent_keeping(*f, person_id).permitted()) return guard_.refuse(f->relationship);
        return insert_directive(person_id, in, supersedes);
    });
}

Result<std::int64_t> PersonRepo::insert_directive(std::int64_t person_id, const d::ConsentDirective& in,
                                                  std::optional<std::int64_t> supersedes) {
    const auto t = now();
    int version = 1;
    if (supersedes) {
        auto old =
            ctx_.tx.query_one("SELECT version FROM consent_directives WHERE id = ? AND person_id = ?", {*supersedes, person_id});
        if (!old) {
            return Error::not_found();
        }
        version = static_cast<int>(old->i64(0)) + 1;
        // Compare and set: an amendment of a directive withdrawn or amended meanwhile (another tab,
        // a second tap) would leave two versions in effect.
        if (ctx_.tx.exec("UPDATE consent_directives SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at IS NULL",
                         {t, ctx_.actor->user_id, *supersedes}) == 0)
            return Error::conflict("lifecycle.not_from_state");
    }
    auto row = ctx_.tx.query_one(
        "INSERT INTO consent_directives (person_id, version, supersedes_id, effect, categories, purposes, given_by, "
        "given_by_name, method, witness_name, given_at, expires_at, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {person_id, std::int64_t{version}, opt(supersedes), std::string(d::code(in.effect)), codes_of(in.categories),
         codes_of(in.purposes), std::string(d::code(in.given_by)), in.given_by_name, std::string(d::code(in.method)),
         in.witness_name, format_iso(in.given_at), in.expires_at ? Value{format_iso(*in.expires_at)} : Value{Null{}}, t,
         ctx_.actor->user_id});
    const auto id = row->i64(0);
    std::set<std::int64_t> orgs(in.organisations.begin(), in.organisations.end());
    for (auto o : orgs)
        ctx_.tx.exec("INSERT INTO consent_directive_organisations (directive_id, organisation_id) VALUES (?, ?)", {id, o});
    return id;
}

Result<void> PersonRepo::withdraw_directive(std::int64_t person_id, std::int64_t directive_id) {
    return guard_.operation([&]() -> Result<void> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        return withdraw(*f, person_id, directive_id);
    });
}

// A family account withdraws a permit only (withdrawing a refusal would widen access: that is
// done with the coordinator).
Result<void> PersonRepo::withdraw(const FileFacts& f, std::int64_t person_id, std::int64_t directive_id) {
    if (!decide_consent_keeping(f, person_id).permitted()) return guard_.refuse(f.relationship);
    const bool family = f.family_access_id != 0;
    const auto n = ctx_.tx.exec(
        std::string("UPDATE consent_directives SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND person_id = ? "
                    "AND withdrawn_at IS NULL") +
            (family ? " AND effect = 'permit'" : ""),
        {now(), ctx_.actor->user_id, directive_id, person_id});
    if (n == 0) {
        return Error::not_found();
    }
    return ok();
}

Result<std::int64_t> PersonRepo::add_lockbox(std::int64_t person_id, const d::LockboxEntry& e) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        if (!decide_consent_keeping(*f, person_id).permitted()) return guard_.refuse(f->relationship);
        const auto t = now();
        auto row = ctx_.tx.query_one(
            "INSERT INTO lockbox_entries (person_id, organisation_id, category, requested_by, reason, "
            "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {person_id, e.organisation_id, std::string(d::code(e.category)), std::string(d::code(e.requested_by)), e.reason, t,
             ctx_.actor->user_id});
        return row->i64(0);
    });
}

// ---- consent pages, lockbox, break-the-glass

const OrganisationChoice* ConsentRecord::organisation(std::int64_t id) const {
    for (const auto& o : organisations)
        if (o.id == id) return &o;
    return nullptr;
}

std::vector<OrganisationChoice> PersonRepo::area_organisations(std::int64_t sda_id) {
    std::vector<OrganisationChoice> out;
    for (const auto& r : ctx_.tx.query("SELECT id, name_fr, name_en FROM organisations WHERE sda_id = ? AND active = 1 "
                                       "ORDER BY name_en, id",
                                       {sda_id}))
        out.push_back({r.i64(0), r.str(1), r.str(2)});
    return out;
}

Result<ConsentRecord> PersonRepo::consent_record(std::int64_t person_id, d::Action action) {
    return guard_.operation([&]() -> Result<ConsentRecord> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        return consent_record_of(*f, person_id, action);
    });
}

Result<ConsentRecord> PersonRepo::consent_record_of(const FileFacts& f, std::int64_t person_id, d::Action action) {
    if (!decide_consent_keeping(f, person_id, action).permitted()) return guard_.refuse(f.relationship);
    ConsentRecord out;
    out.person_id = person_id;
    out.relationship = f.relationship;
    out.may_print = action == d::Action::print;
    if (!out.may_print) {
        // A question about which links to offer, not an access.
        out.may_print = decide_consent_keeping(f, person_id, d::Action::print, Record::never).permitted();
    }
    const auto change = decide_consent_keeping(f, person_id, d::Action::create, Record::never);
    out.may_change = change.permitted();
    if (!out.may_change) out.change_refusal = d::reason_key(change.reason);
    auto p = ctx_.tx.query_one(
        "SELECT p.given_name, p.family_name, p.capable_of_consent, o.name_fr, o.name_en FROM people p "
        "JOIN organisations o ON o.id = p.coordinating_agency_id WHERE p.id = ?",
        {person_id});
    out.given_name = p->str(0);
    out.family_name = p->str(1);
    out.capable_of_consent = p->boolean(2);
    out.agency_name_fr = p->str(3);
    out.agency_name_en = p->str(4);
    for (const auto& r : ctx_.tx.query("SELECT id, given_name, family_name FROM family_members WHERE person_id = ? "
                                       "AND active = 1 AND is_substitute_decision_maker = 1 ORDER BY id",
                                       {person_id}))
        out.substitute_decision_makers.push_back({r.i64(0), r.str(1) + " " + r.str(2)});
    for (const auto& r : ctx_.tx.query("SELECT id, supersedes_id FROM consent_directives WHERE person_id = ? "
                                       "AND supersedes_id IS NOT NULL",
                                       {person_id}))
        out.supersedes[r.i64(0)] = r.i64(1);
    out.directives = f.consent.directives;
    std::reverse(out.directives.begin(), out.directives.end());  // newest first
    out.lockbox = f.consent.lockbox;
    std::reverse(out.lockbox.begin(), out.lockbox.end());
    out.organisations = area_organisations(f.sda_id);
    // Organisations named in older directives or entries that are no longer active are still
    // named on the record.
    std::set<std::int64_t> named;
    for (const auto& x : out.directives) named.insert(x.organisations.begin(), x.organisations.end());
    for (const auto& x : out.lockbox) named.insert(x.organisation_id);
    for (auto id : named) {
        if (out.organisation(id)) continue;
        if (auto o = ctx_.tx.query_one("SELECT name_fr, name_en FROM organisations WHERE id = ?", {id}))
            out.organisations.push_back({id, o->str(0), o->str(1), false});
    }
    return out;
}

Result<std::int64_t> PersonRepo::record_consent(std::int64_t person_id, const ConsentSubmission& in) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        if (!decide_consent_keeping(*f, person_id).permitted()) return guard_.refuse(f->relationship);
        auto p = ctx_.tx.query_one("SELECT given_name, family_name, capable_of_consent FROM people WHERE id = ?", {person_id});
        d::ConsentForm form = in.form;
        form.subject_capable = p->boolean(2) ? "yes" : "no";
        std::vector<std::string> sdm_names;
        std::vector<std::int64_t> sdm_ids;
        for (const auto& r : ctx_.tx.query("SELECT id, given_name, family_name FROM family_members WHERE person_id = ? "
                                           "AND active = 1 AND is_substitute_decision_maker = 1 ORDER BY id",
                                           {person_id})) {
            sdm_ids.push_back(r.i64(0));
            sdm_names.push_back(r.str(1) + " " + r.str(2));
        }
        const auto given_by = d::parse_given_by(trim(form.given_by));
        if (given_by == d::GivenBy::child_youth) {
            form.given_by_name = p->str(0) + " " + p->str(1);
        } else if (given_by == d::GivenBy::substitute_decision_maker) {
            // The chosen family member's name; any other value is not one of theirs.
            form.given_by_name = trim(in.decision_maker);
            if (auto id = d::parse_id(trim(in.decision_maker)))
                for (std::size_t i = 0; i < sdm_ids.size(); ++i)
                    if (sdm_ids[i] == *id) form.given_by_name = sdm_names[i];
        }
        std::vector<std::int64_t> known;
        for (const auto& o : area_organisations(f->sda_id)) known.push_back(o.id);
        std::vector<d::ConsentDirective> others;
        for (const auto& x : f->consent.directives)
            if (!in.supersedes || x.id != *in.supersedes) others.push_back(x);
        if (in.supersedes && others.size() == f->consent.directives.size()) {
            return Error::not_found();
        }
        d::ConsentContext cc{known, others, ctx_.clock.now()};
        cc.substitute_decision_makers = std::span<const std::string>(sdm_names);
        d::ConsentDirective directive;
        auto errors = d::validate(form, cc, directive);
        for (auto& e : errors)
            if (e.field == "given_by_name") e.field = "decision_maker";
        if (!errors.empty()) {
            return Error::invalid(std::move(errors));
        }
        return insert_directive(person_id, directive, in.supersedes);
    });
}

Result<std::int64_t> PersonRepo::add_lockbox(std::int64_t person_id, const d::LockboxForm& in) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        return insert_lockbox(*f, person_id, in);
    });
}

Result<std::int64_t> PersonRepo::insert_lockbox(const FileFacts& f, std::int64_t person_id, const d::LockboxForm& in) {
    if (!decide_consent_keeping(f, person_id).permitted()) return guard_.refuse(f.relationship);
    // Who the child is stays with the consent's keepers: a family keeping identity and contact
    // from the coordinator would lock the record it asked them to keep (it withdraws instead).
    if (f.family_access_id != 0 && d::parse_category(trim(in.category)) == d::Category::identity_contact)
        return Error::invalid_field("category", "consent.unknown_category", {trim(in.category)});
    std::vector<std::int64_t> known;
    for (const auto& o : area_organisations(f.sda_id)) known.push_back(o.id);
    d::LockboxEntry entry;
    auto errors = d::validate(in, known, f.consent.lockbox, ctx_.clock.now(), entry);
    if (!errors.empty()) {
        return Error::invalid(std::move(errors));
    }
    const auto t = now();
    auto row = ctx_.tx.query_one(
        "INSERT INTO lockbox_entries (person_id, organisation_id, category, requested_by, reason, "
        "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {person_id, entry.organisation_id, std::string(d::code(entry.category)), std::string(d::code(entry.requested_by)),
         entry.reason, t, ctx_.actor->user_id});
    return row->i64(0);
}

// ---- the family's own consent pages

Result<ConsentRecord> PersonRepo::family_consent(std::int64_t person_id) {
    return guard_.operation([&]() -> Result<ConsentRecord> {
        auto f = facts(person_id, Door::family);
        if (!f) return Error::not_found();
        return consent_record_of(*f, person_id, d::Action::read);
    });
}

Result<void> PersonRepo::family_withdraw(std::int64_t person_id, std::int64_t directive_id) {
    return guard_.operation([&]() -> Result<void> {
        auto f = facts(person_id, Door::family);
        if (!f) return Error::not_found();
        return withdraw(*f, person_id, directive_id);
    });
}

// The youth gives their own consent; a family member with authority acts for the child.
d::GivenBy PersonRepo::family_giver(const FileFacts& f) {
    return f.relationship == d::Relationship::self ? d::GivenBy::child_youth : d::GivenBy::substitute_decision_maker;
}

std::string PersonRepo::family_signer(const FileFacts& f, std::int64_t person_id) {
    auto r = f.relationship == d::Relationship::self
                 ? ctx_.tx.query_one("SELECT given_name, family_name FROM people WHERE id = ?", {person_id})
                 : ctx_.tx.query_one(
                       "SELECT m.given_name, m.family_name FROM family_access a "
                       "JOIN family_members m ON m.id = a.family_member_id WHERE a.id = ?",
                       {f.family_access_id});
    return r ? r->str(0) + " " + r->str(1) : std::string();
}

Result<std::int64_t> PersonRepo::family_narrow(std::int64_t person_id, std::int64_t directive_id, const d::NarrowForm& in) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = facts(person_id, Door::family);
        if (!f) return Error::not_found();
        if (!decide_consent_keeping(*f, person_id).permitted()) return guard_.refuse(f->relationship);
        const d::ConsentDirective* old = nullptr;
        for (const auto& x : f->consent.directives)
            if (x.id == directive_id) old = &x;
        if (!old) return Error::not_found();
        const auto by = family_giver(*f);
        d::ConsentDirective next;
        auto errors = d::narrow(in, *old, by, family_signer(*f, person_id), ctx_.clock.now(), next);
        if (!errors.empty()) return Error::invalid(std::move(errors));
        return insert_directive(person_id, next, old->id);
    });
}

Result<std::int64_t> PersonRepo::family_withhold(std::int64_t person_id, d::LockboxForm in) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = facts(person_id, Door::family);
        if (!f) return Error::not_found();
        in.requested_by = std::string(d::code(family_giver(*f)));
        return insert_lockbox(*f, person_id, in);
    });
}

Result<void> PersonRepo::revoke_lockbox(std::int64_t person_id, std::int64_t entry_id) {
    return guard_.operation([&]() -> Result<void> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        if (!decide_consent_keeping(*f, person_id).permitted()) return guard_.refuse(f->relationship);
        const auto n = ctx_.tx.exec(
            "UPDATE lockbox_entries SET revoked_at = ?, revoked_by = ? WHERE id = ? AND person_id = ? AND revoked_at IS NULL",
            {now(), ctx_.actor->user_id, entry_id, person_id});
        if (n == 0) {
            return Error::not_found();
        }
        return ok();
    });
}

Result<std::int64_t> PersonRepo::open_break_glass(std::int64_t person_id, std::string_view reason,
                                                  const d::BreakGlassPolicy& policy) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        // Opening the glass is itself an access to the file: a read of identity and contact under
        // coordination, audited whether it is refused or granted.
        d::AccessRequest q;
        q.relationship = f->relationship;
        q.purpose = d::Purpose::coordination;
        q.action = d::Action::read;
        if (f->relationship == d::Relationship::none || !d::may_break_glass(ctx_.actor->role)) {
            return guard_.refuse_unserved(q, {person_id});
        }
        auto g = d::open_break_glass(ctx_.actor->user_id, ctx_.actor->organisation_id, ctx_.actor->role, reason, "", policy,
                                     ctx_.clock.now());
        if (!g) return g.error();  // the reason as typed: nothing was opened, nothing to audit
        auto row = ctx_.tx.query_one(
            "INSERT INTO break_glass_grants (person_id, user_id, organisation_id, reason, granted_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            {person_id, g->user_id, g->organisation_id, g->reason, format_iso(g->granted_at), format_iso(g->expires_at)});
        guard_.record(q, d::Decision{d::Effect::permit, d::Reason::break_glass, true, 0}, {person_id});
        return row->i64(0);
    });
}

bool PersonRepo::is_agency_privacy_officer() {
    return ctx_.actor->role == d::Role::privacy_officer &&
           ctx_.tx
               .query_one(
                   "SELECT 1 FROM organisation_csp_roles r JOIN organisations o ON o.id = r.organisation_id "
                   "WHERE r.organisation_id = ? AND r.csp_role = 'coordinating_agency' AND o.active = 1",
                   {ctx_.actor->organisation_id})
               .has_value();
}

Result<std::vector<BreakGlassReviewRow>> PersonRepo::break_glass_queue() {
    return guard_.operation([&]() -> Result<std::vector<BreakGlassReviewRow>> {
        if (!is_agency_privacy_officer()) return Error::forbidden();
        std::vector<BreakGlassReviewRow> out;
        const auto rows = ctx_.tx.query(
            "SELECT g.id, g.person_id, u.display_name, o.name_fr, o.name_en, g.reason, g.granted_at, g.expires_at, g.user_id "
            "FROM break_glass_grants g JOIN people p ON p.id = g.person_id JOIN users u ON u.id = g.user_id "
            "JOIN organisations o ON o.id = g.organisation_id "
            "WHERE p.coordinating_agency_id = ? AND g.reviewed_at IS NULL ORDER BY g.granted_at, g.id",
            {ctx_.actor->organisation_id});
        const auto now_tp = ctx_.clock.now();
        std::map<std::int64_t, FileFacts> files;
        for (const auto& r : rows) {
            const auto person_id = r.i64(1);
            auto it = files.find(person_id);
            if (it == files.end()) {
                auto f = facts(person_id);
                if (!f) continue;
                it = files.emplace(person_id, std::move(*f)).first;
            }
            const auto& f = it->second;
            if (!decide(f, d::Category::access_log, d::Action::list, person_id).permitted()) continue;
            BreakGlassReviewRow row;
            row.grant_id = r.i64(0);
            row.person_id = person_id;
            row.user_name = r.str(2);
            row.org_name_fr = r.str(3);
            row.org_name_en = r.str(4);
            row.reason = r.str(5);
            row.granted_at = r.str(6);
            row.expires_at = r.str(7);
            row.in_effect = time_of(row.granted_at) <= now_tp && now_tp < time_of(row.expires_at);
            row.flagged_accesses =
                ctx_.tx
                    .query_one(
                        "SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND user_id = ? AND break_glass = 1 "
                        "AND at >= ? AND at < ?",
                        {person_id, r.i64(8), row.granted_at, row.expires_at})
                    ->i64(0);
            if (decide(f, d::Category::identity_contact, d::Action::list, person_id).permitted()) {
                auto p = ctx_.tx.query_one("SELECT given_name, family_name FROM people WHERE id = ?", {person_id});
                row.child_name = p->str(0) + " " + p->str(1);
            }
            out.push_back(std::move(row));
        }
        return out;
    });
}

Result<void> PersonRepo::review_break_glass(std::int64_t grant_id, std::string_view note) {
    return guard_.operation([&]() -> Result<void> {
        if (!is_agency_privacy_officer()) return Error::forbidden();
        auto g = ctx_.tx.query_one(
            "SELECT g.person_id FROM break_glass_grants g JOIN people p ON p.id = g.person_id "
            "WHERE g.id = ? AND p.coordinating_agency_id = ? AND g.reviewed_at IS NULL",
            {grant_id, ctx_.actor->organisation_id});
        if (!g) return Error::not_found();
        std::string text;
        auto errors = d::validate_review_note(note, text);
        if (!errors.empty()) return Error::invalid(std::move(errors));
        const auto person_id = g->i64(0);
        auto f = facts(person_id);
        if (!f) return Error::not_found();
        if (!decide(*f, d::Category::access_log, d::Action::read, person_id).permitted())
            return guard_.refuse(Error::forbidden());
        ctx_.tx.exec("UPDATE break_glass_grants SET reviewed_at = ?, reviewed_by = ?, review_note = ? WHERE id = ?",
                     {now(), ctx_.actor->user_id, text, grant_id});
        return ok();
    });
}

}  // namespace arrimage::store
