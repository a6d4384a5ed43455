#include "features/family/store/family_request_repo.hpp"

#include <stdexcept>
#include <utility>

#include "store/privacy_office_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

namespace d = arrimage::domain;

namespace {

constexpr LifecycleTables concern_tables{"family_concerns", "family_concern_events", "concern_id"};

// A concern with who raised and answered it, in the order concern_of reads.
constexpr const char* concern_select =
    "SELECT c.id, c.kind, c.addressed_to, c.description, c.status, c.response, c.created_at, "
    "COALESCE(c.acknowledged_at, ''), COALESCE(c.closed_at, ''), COALESCE(u.display_name, ''), x.relation, "
    "COALESCE(m.relationship, ''), COALESCE(ua.display_name, ''), COALESCE(uc.display_name, '') "
    "FROM family_concerns c JOIN family_access x ON x.id = c.family_access_id "
    "LEFT JOIN family_members m ON m.id = x.family_member_id LEFT JOIN users u ON u.id = c.raised_by "
    "LEFT JOIN users ua ON ua.id = c.acknowledged_by LEFT JOIN users uc ON uc.id = c.closed_by "
    "WHERE c.person_id = ?";

FamilyConcernRow concern_of(const Row& r) {
    FamilyConcernRow c;
    c.id = r.i64(0);
    c.kind = r.str(1);
    c.addressed_to = r.str(2);
    c.description = r.str(3);
    c.status = r.str(4);
    c.response = r.str(5);
    c.created_at = r.str(6);
    c.acknowledged_at = r.str(7);
    c.closed_at = r.str(8);
    c.raised_by = r.str(9);
    c.relation = r.str(10);
    c.relationship = r.str(11);
    c.acknowledged_by = r.str(12);
    c.closed_by = r.str(13);
    return c;
}

// A stored status; an unknown one is corrupt data (throws), never read as another.
d::ConcernStatus stored_status(const FamilyConcernRow& c) {
    const auto s = d::parse_concern_status(c.status);
    if (!s) throw std::runtime_error("family concern " + std::to_string(c.id) + " has an unknown status");
    return *s;
}

}  // namespace

FamilyRequestRepo::FamilyRequestRepo(AccessContext ctx) : ctx_(std::move(ctx)), guard_(ctx_) {}

std::string FamilyRequestRepo::now() const {
    return format_iso(ctx_.clock.now());
}

// The family account's own standing to the file, asked for `a` on `c` under the family's profile:
// the file, or the guard's refusal on record (no such file or no family access: NotFound; a staff
// account: not served here; the policy's family steps: Forbidden with its reason).
Result<FileAccess> FamilyRequestRepo::family_file(std::int64_t person_id, d::Category c, d::Action a) {
    if (!ctx_.actor) return Error::not_found();
    auto f = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
    if (!f) {
        d::AccessRequest q;
        q.category = c;
        q.action = a;
        return guard_.refuse_unserved(q);
    }
    const auto q = f->request(c, a);
    if (!d::is_family_relationship(f->relationship)) return guard_.refuse_unserved(q, {person_id});
    if (!guard_.decide(q, {person_id}).permitted()) return guard_.refuse(f->relationship);
    return std::move(*f);
}

// The file's staff who answer concerns (domain::answers_concerns), asked for `a` on identity and
// contact under the purpose the kernel gives their relationship; anyone else refused on record.
Result<FileAccess> FamilyRequestRepo::answerer(std::int64_t person_id, d::Action a) {
    if (!ctx_.actor) return Error::not_found();
    auto f = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
    if (!f) {
        d::AccessRequest q;
        q.action = a;
        return guard_.refuse_unserved(q);
    }
    const auto q = f->request(d::Category::identity_contact, a);
    if (!d::answers_concerns(f->relationship)) return guard_.refuse_unserved(q, {person_id});
    if (!guard_.decide(q, {person_id}).permitted()) return guard_.refuse(f->relationship);
    return std::move(*f);
}

std::vector<FamilyConcernRow> FamilyRequestRepo::concerns(std::int64_t person_id, std::optional<std::int64_t> raised_by,
                                                          bool all_addressees) {
    std::string sql = concern_select;
    Params params{person_id};
    if (raised_by) sql += " AND c.raised_by = ?", params.emplace_back(*raised_by);
    if (!all_addressees) sql += " AND c.addressed_to = 'coordinator'";
    sql += " ORDER BY c.id DESC";
    std::vector<FamilyConcernRow> out;
    for (const auto& r : ctx_.tx.query(sql, params)) out.push_back(concern_of(r));
    return out;
}

// ---- family

Result<FamilyRequests> FamilyRequestRepo::mine(std::int64_t person_id) {
    return guard_.operation([&]() -> Result<FamilyRequests> {
        auto f = family_file(person_id, d::Category::identity_contact, d::Action::list);
        if (!f) return f.error();
        FamilyRequests out;
        out.person_id = person_id;
        // Which forms to offer: questions, not accesses (the post decides and records).
        out.may_raise_concerns = guard_.ask(f->request(d::Category::plan, d::Action::create)).permitted();
        const auto records = guard_.ask(f->request(d::Category::identity_contact, d::Action::create));
        out.may_request_records = records.permitted();
        if (!out.may_request_records) out.records_refusal = d::reason_key(records.reason);
        out.concerns = concerns(person_id, ctx_.actor->user_id, true);
        for (const auto& r : ctx_.tx.query("SELECT r.id, r.kind, r.status, r.description, r.received_on, r.due_on, r.closed_on "
                                           "FROM privacy_requests r JOIN family_access x ON x.id = r.family_access_id "
                                           "WHERE r.person_id = ? AND x.user_id = ? ORDER BY r.id DESC",
                                           {person_id, ctx_.actor->user_id})) {
            FamilyRecordsRequestRow row;
            row.id = r.i64(0);
            row.kind = r.str(1);
            row.status = r.str(2);
            row.description = r.str(3);
            row.received = parse_date(r.str(4)).value_or(Date{});
            row.due = parse_date(r.str(5)).value_or(Date{});
            if (auto closed = r.opt_str(6)) row.closed_on = parse_date(*closed);
            out.records_requests.push_back(std::move(row));
        }
        return out;
    });
}

Result<RaisedRequest> FamilyRequestRepo::raise(std::int64_t person_id, const d::FamilyRequest& r) {
    return guard_.operation([&]() -> Result<RaisedRequest> {
        const auto records_kind = d::privacy_request_kind(r.kind);
        if (!records_kind && !r.addressed_to) return Error::invalid_field("addressed_to", "field.required");
        if (r.description.empty()) return Error::invalid_field("description", "field.required");
        auto f = family_file(person_id, records_kind ? d::Category::identity_contact : d::Category::plan, d::Action::create);
        if (!f) return f.error();
        RaisedRequest out;
        out.records_request = records_kind.has_value();
        if (records_kind) {
            auto a = ctx_.tx.query_one(
                "SELECT x.relation, m.relationship FROM family_access x LEFT JOIN family_members m ON m.id = x.family_member_id "
                "WHERE x.id = ?",
                {f->family_access_id});
            d::NewRequest n;
            n.person_id = person_id;
            n.kind = *records_kind;
            n.received = date_of(ctx_.clock.now());
            n.description = r.description;
            std::optional<d::FamilyRelationship> member;
            if (auto rel = a->opt_str(1)) member = d::parse_family_relationship(*rel);
            n.requester = d::requester_for(d::parse_family_relation(a->str(0)).value_or(d::FamilyRelation::family_of), member);
            out.id = insert_request(ctx_.tx, ctx_.clock, f->agency_id, n, ctx_.actor->user_id, f->family_access_id);
            out.due = d::due_date(n.received, 0);
            return out;
        }
        const auto t = now();
        out.id = ctx_.tx
                     .query_one(
                         "INSERT INTO family_concerns (person_id, family_access_id, raised_by, kind, addressed_to, description, "
                         "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'received', ?, ?) RETURNING id",
                         {person_id, f->family_access_id, ctx_.actor->user_id, std::string(d::code(r.kind)),
                          std::string(d::code(*r.addressed_to)), r.description, t, t})
                     ->i64(0);
        return out;
    });
}

// ---- staff

Result<FileConcerns> FamilyRequestRepo::for_file(std::int64_t person_id) {
    return guard_.operation([&]() -> Result<FileConcerns> {
        auto f = answerer(person_id, d::Action::list);
        if (!f) return f.error();
        FileConcerns out;
        out.person_id = person_id;
        out.relationship = f->relationship;
        out.concerns = concerns(person_id, std::nullopt, f->relationship == d::Relationship::coordinating_agency);
        for (auto& c : out.concerns) c.available = d::concern_lifecycle().available(stored_status(c), f->relationship, {});
        return out;
    });
}

Result<void> FamilyRequestRepo::answer(std::int64_t person_id, std::int64_t concern_id, d::ConcernEvent event,
                                       std::string_view text) {
    return guard_.operation([&]() -> Result<void> {
        auto f = answerer(person_id, d::Action::update);
        if (!f) return f.error();
        std::optional<FamilyConcernRow> current;
        for (auto& c : concerns(person_id, std::nullopt, f->relationship == d::Relationship::coordinating_agency))
            if (c.id == concern_id) current = std::move(c);
        if (!current) return Error::not_found();
        std::string note;
        auto e = d::validate_answer(event, text, note);
        if (!e.empty()) return Error::invalid(std::move(e));
        const auto t = now();
        std::vector<std::pair<std::string_view, Value>> also;
        if (event == d::ConcernEvent::acknowledge) {
            also = {{"acknowledged_at", t}, {"acknowledged_by", ctx_.actor->user_id}};
        } else {
            also = {{"closed_at", t}, {"closed_by", ctx_.actor->user_id}, {"response", note}};
        }
        auto moved =
            fire_transition(ctx_.tx, ctx_.clock, concern_tables, d::concern_lifecycle(), concern_id, stored_status(*current),
                            event, f->relationship, d::ConcernFacts{}, ctx_.actor->user_id, note, std::move(also));
        if (!moved) return moved.error();
        return ok();
    });
}

}  // namespace arrimage::store
