#include "app/demo_reports.hpp"

#include <stdexcept>
#include <string>

#include "app/tooling.hpp"
#include "core/time.hpp"
#include "features/reporting/store/report_repo.hpp"

namespace arrimage::app {

namespace d = arrimage::domain;

namespace {

template <typename T>
T check(Result<T> r) {
    if (!r) throw std::runtime_error("demo reports: " + r.error().message_key);
    return std::move(*r);
}

}  // namespace

bool load_demo_reports(store::Database& db, const Clock& clock) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM quarterly_reports LIMIT 1")) return false;
    auto admin = tx->query_one(
        "SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = ? AND m.active = 1",
        {std::string("ca.admin@demo.arrimage.invalid")});
    if (!admin) return false;
    auto access = Tooling::demo_loader(*tx, clock, admin->i64(0), admin->i64(1));
    if (!access) return false;
    store::ReportRepo reports(*access);
    // The last quarter that has ended, and the one before it.
    const auto last = d::last_ended_quarter(format_iso(clock.now()).substr(0, 10));
    const auto before = d::previous(last);
    const auto id = check(reports.generate({std::to_string(last.year), std::to_string(last.quarter)}));
    check(reports.fire(id, d::ReportEvent::review));
    check(reports.fire(id, d::ReportEvent::submit));
    check(reports.generate({std::to_string(before.year), std::to_string(before.quarter)}));
    tx->commit();
    return true;
}

}  // namespace arrimage::app
