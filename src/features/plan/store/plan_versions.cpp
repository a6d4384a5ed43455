// Two versions of a file's plan side by side (PlanRepo::versions, plan_repo.hpp): the rows every
// saved change wrote, read under the same decision and audit as the plan itself, since a
// version holds the whole plan as it then was.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "features/plan/store/plan_repo.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

// A version's snapshot with the sections in `withheld` emptied: a version holds the whole plan,
// and what the family's consent keeps from the reader on the plan's page it keeps here too.
// Snapshots written before a section existed have nothing of it to empty.
std::string without(const std::string& snapshot, const std::vector<d::Section>& withheld) {
    if (withheld.empty()) return snapshot;
    auto j = nlohmann::json::parse(snapshot);
    const auto sections = j.find("sections");
    if (sections == j.end() || !sections->is_object()) return snapshot;
    for (auto s : withheld)
        if (const auto it = sections->find(std::string(d::code(s))); it != sections->end()) *it = "";
    return j.dump();
}

}  // namespace

Result<PlanVersionPair> PlanRepo::versions(std::int64_t person_id, int a, int b) {
    return guard_.operation([&]() -> Result<PlanVersionPair> {
        // Decided as read() decides: one read of `plan` on the file, on record; under a lockbox
        // the withheld notice, as the plan's page gives it, and nothing of any version.
        auto decided = read_decision(person_id);
        if (!decided) return decided.error();
        PlanVersionPair out;
        out.person_id = person_id;
        if (!*decided) {
            out.withheld = true;
            return out;
        }
        auto f = std::move(*decided);
        if (!f->plan_id) return out;
        const auto id = *f->plan_id;
        out.id = id;
        out.version = f->version;
        out.withheld_sections = withheld_sections(*f, d::Action::read);
        for (const auto& v : ctx_.tx.query("SELECT v.version, v.at, COALESCE(u.display_name, ''), v.change, v.reason FROM "
                                           "plan_versions v LEFT JOIN users u ON u.id = v.user_id WHERE v.plan_id = ? ORDER "
                                           "BY v.version DESC",
                                           {id}))
            out.versions.push_back({static_cast<int>(v.i64(0)), v.str(1), v.str(2), v.str(3), v.str(4)});
        if (a == 0) a = f->version > 1 ? f->version - 1 : -1;
        if (b == 0) b = f->version;
        const auto side = [&](int n) -> std::optional<PlanVersionSide> {
            const auto h =
                std::find_if(out.versions.begin(), out.versions.end(), [&](const PlanVersionRow& v) { return v.version == n; });
            if (h == out.versions.end()) return std::nullopt;
            auto row =
                ctx_.tx.query_one("SELECT snapshot FROM plan_versions WHERE plan_id = ? AND version = ?", {id, std::int64_t{n}});
            return PlanVersionSide{*h, without(row->str(0), out.withheld_sections)};
        };
        out.a = side(a);
        out.b = side(b);
        return out;
    });
}

}  // namespace arrimage::store
