// arrimage: serve, migrate, demo-data, create-admin, the reminders, jobs and the other commands.
#include <fmt/format.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/data_commands.hpp"
#include "app/demo_data.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "features/agreements/store/agreement_repo.hpp"
#include "features/complaints/store/complaint_repo.hpp"
#include "features/governance/store/governance_repo.hpp"
#include "features/network/store/community_plan_repo.hpp"
#include "features/network/store/training_repo.hpp"
#include "features/notification/store/reminders.hpp"
#include "http/forwarded.hpp"
#include "interop/hsds_tables.hpp"
#include "jobs/outbox_sender.hpp"
#include "jobs/scheduler.hpp"
#include "store/audit_repo.hpp"
#include "store/auth_repo.hpp"
#include "store/connect.hpp"
#include "store/directory_reminders.hpp"
#include "store/identity_repo.hpp"
#include "store/job_runs.hpp"
#include "store/leader_lock.hpp"
#include "store/migrate.hpp"
#include "web/app.hpp"

#ifndef ARRIMAGE_DEFAULT_STATIC_DIR
#define ARRIMAGE_DEFAULT_STATIC_DIR "static"
#endif

using namespace arrimage;

namespace {

// Standard output, block-buffered and flushed every second and at exit: one memcpy per
// request line instead of a write system call (spdlog's stdout sink flushes every line).
class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    BufferedStdoutSink() { std::setvbuf(stdout, nullptr, _IOFBF, 1 << 16); }

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t line;
        formatter_->format(msg, line);
        std::fwrite(line.data(), 1, line.size(), stdout);
    }
    void flush_() override { std::fflush(stdout); }
};

void setup_logging(const std::string& level) {
    auto logger = std::make_shared<spdlog::logger>("arrimage", std::make_shared<BufferedStdoutSink>());
    // JSON lines: the message itself is a JSON object, wrapped with time and level.
    logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","event":%v})", spdlog::pattern_time_type::utc);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(level));
    spdlog::flush_every(std::chrono::seconds(1));
}

std::string json_string(const std::string& s) {
    return nlohmann::json(s).dump();
}

// The language a command reports in when --lang does not say: French when the LANG environment
// variable starts with "fr" (fr_CA.UTF-8), English otherwise.
std::string default_report_lang() {
    const char* lang = std::getenv("LANG");
    return lang != nullptr && std::string_view(lang).starts_with("fr") ? "fr" : "en";
}

// An HSDS import's issues or notes in `lang`, one line each: "file:line [field] sentence (value)".
// A problem is either a catalogue key (a field check's, "field.too_long", with its arguments) or
// a code whose sentence is hsds.problem.<code>, as on the upload page.
std::string import_issue_lines(const Catalogue& catalogue, Lang lang, const std::vector<interop::ImportIssue>& issues) {
    std::ostringstream out;
    for (const auto& i : issues) {
        const std::string key = catalogue.has(lang, i.problem) ? i.problem : "hsds.problem." + i.problem;
        out << i.file;
        if (i.line) out << ":" << i.line;
        if (!i.field.empty()) out << " [" << i.field << "]";
        out << " " << (catalogue.has(lang, key) ? catalogue.t(lang, key, i.args) : i.problem);
        if (!i.value.empty()) out << " (" << i.value << ")";
        out << "\n";
    }
    return out.str();
}

// The complaints' reminders, in a transaction of their own: a complaint the job cannot read is
// logged, and the other reminders, committed before, stand. The number written, or nullopt when
// the run failed (it is tried again at the next run).
std::optional<int> raise_complaint_reminders_apart(store::Database& db, const Clock& clock, const Catalogue& catalogue,
                                                   const std::string& public_base_url) {
    try {
        auto tx = db.begin(store::TxMode::write);
        const int written = store::raise_complaint_reminders(*tx, clock, catalogue, public_base_url);
        tx->commit();
        return written;
    } catch (const std::exception& e) {
        spdlog::error(R"({{"msg":"complaint reminders failed; the other reminders are kept","error":{}}})",
                      json_string(e.what()));
        return std::nullopt;
    }
}

// The reminders job (`arrimage reminders`, and `serve` every --reminder-minutes): referrals,
// overdue items, agreements, governance, community plans and trainings in one transaction, then
// the complaints' apart. Each reminder is written once (its notification's dedupe key), so a
// second run adds nothing.
struct ReminderTotals {
    store::ReminderRun run;
    int agreements = 0, governance = 0, plans = 0, trainings = 0;
    std::optional<int> complaints;  // nullopt: their part failed (logged)
    int notifications() const { return run.notifications + agreements + governance + plans + trainings + complaints.value_or(0); }
};

ReminderTotals raise_all_reminders(store::Database& db, const Clock& clock, const Catalogue& catalogue,
                                   const std::string& public_base_url) {
    ReminderTotals t;
    auto tx = db.begin(store::TxMode::write);
    t.run = store::raise_reminders(*tx, clock, catalogue, public_base_url);
    t.agreements = store::raise_agreement_reminders(*tx, clock, catalogue, public_base_url);
    t.governance = store::raise_governance_reminders(*tx, clock, catalogue, public_base_url);
    t.plans = store::raise_community_plan_reminders(*tx, clock, catalogue, public_base_url);
    t.trainings = store::raise_training_reminders(*tx, clock, catalogue, public_base_url);
    tx->commit();
    t.complaints = raise_complaint_reminders_apart(db, clock, catalogue, public_base_url);
    return t;
}

// A reminders run whose complaints' part failed: recorded as failed, though the rest was written.
class ComplaintRemindersFailed : public std::runtime_error {
  public:
    explicit ComplaintRemindersFailed(int written)
        : std::runtime_error("complaint reminders failed (see the log); the other " + std::to_string(written) +
                             " reminders were written") {}
};

// The directory's reminders (`arrimage directory-reminders`, and `serve` daily): emails queued.
int queue_directory_reminders(store::Database& db, const Clock& clock, const Catalogue& catalogue, const web::Config& cfg) {
    auto tx = db.begin(store::TxMode::write);
    const int queued =
        store::queue_stale_waitlist_reminders(*tx, clock, catalogue, cfg.directory_stale_days, cfg.public_base_url);
    tx->commit();
    return queued;
}

// The jobs `serve` schedules, as `arrimage jobs` describes them: what a run does, how often, and
// what its items count.
struct KnownJob {
    std::string_view name, what, items;
};
constexpr KnownJob known_jobs[] = {
    {"outbox", "sends the email outbox, every 10 seconds when serve is given --smtp-url", "emails sent"},
    {"reminders",
     "raises the reminders of unanswered referrals and overdue items, agreements, governance, community plans, trainings "
     "and complaints, every --reminder-minutes (60 by default; 0: not scheduled)",
     "reminders written"},
    {"directory-reminders", "emails organisations whose waitlists are out of date (--directory-stale-days), every day",
     "emails queued"},
};

// A stored timestamp to the second: "2026-11-23T08:07:14Z" → "2026-11-23 08:07:14 UTC".
std::string at_second(const std::string& iso) {
    if (iso.size() != 20 || iso[10] != 'T' || iso[19] != 'Z') return iso;
    return iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC";
}

// One run, in a sentence: "started 2026-11-23 09:00:00 UTC on web-1:4242, ended 09:00:02 UTC: ok,
// 3 emails sent."
std::string run_sentence(const store::JobRun& r, std::string_view items) {
    std::string s = "started " + at_second(r.started_at) + " on " + r.node;
    switch (r.outcome) {
        case store::JobOutcome::running:
            return s + ", not ended yet (running, or its node stopped: recorded as failed once its grace has passed).";
        case store::JobOutcome::ok:
            return s + ", ended " + at_second(r.finished_at) + ": ok, " + std::to_string(r.items) + " " + std::string(items) +
                   ".";
        case store::JobOutcome::failed:
            return s + ", ended " + at_second(r.finished_at) + ": failed: " + r.error + (r.error.ends_with(".") ? "" : ".");
    }
    return s + ".";
}

std::string_view items_of(const std::string& job) {
    for (const auto& k : known_jobs)
        if (k.name == job) return k.items;
    return "items";
}

std::filesystem::path sqlite_path(const std::string& url) {
    return url.rfind("sqlite:", 0) == 0 ? std::filesystem::path(url.substr(7)) : std::filesystem::path();
}

// `wait`: how long to wait for a database that is not up yet (serve), saying so in the log.
std::unique_ptr<store::Database> open_db(const std::string& url, int pool, std::chrono::seconds wait = {}) {
    const auto p = sqlite_path(url);
    if (!p.empty() && p != ":memory:" && p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    if (wait.count() <= 0) return store::open_database(url, pool);
    return store::open_database_waiting(url, pool, wait, [](const store::DbError& e, std::chrono::milliseconds pause) {
        spdlog::warn(R"({{"msg":"the database is not reachable yet; trying again","in_ms":{},"error":{}}})", pause.count(),
                     json_string(e.what()));
        spdlog::default_logger()->flush();
    });
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Arrimage: coordinated service planning system of record"};
    cli.set_config("--config", "", "Read options from an INI/TOML file");
    // A key the file does not know is a mistake (a misspelt option, or a serve option outside
    // its [serve] section): refuse it rather than run with a setting silently ignored.
    cli.allow_config_extras(CLI::config_extras_mode::error);
    cli.require_subcommand(1);
    cli.fallthrough();  // global options may follow the subcommand

    web::Config cfg;
    cfg.static_dir = ARRIMAGE_DEFAULT_STATIC_DIR;
    cli.add_option("--database-url", cfg.database_url, "sqlite:PATH or postgresql://...")
        ->envname("ARRIMAGE_DATABASE_URL")
        ->capture_default_str();
    cli.add_option("--log-level", cfg.log_level, "trace, debug, info, warn, error")
        ->envname("ARRIMAGE_LOG_LEVEL")
        ->capture_default_str();

    auto* serve = cli.add_subcommand("serve", "Serve the web application");
    serve->add_option("--listen", cfg.listen_address, "Address to listen on")->envname("ARRIMAGE_LISTEN")->capture_default_str();
    serve->add_option("--port", cfg.port, "TCP port (0: any free port)")->envname("ARRIMAGE_PORT")->capture_default_str();
    serve->add_option("--metrics-listen", cfg.metrics_address, "Address of the operations listener (/metrics)")
        ->envname("ARRIMAGE_METRICS_LISTEN")
        ->capture_default_str();
    serve->add_option("--metrics-port", cfg.metrics_port, "TCP port of the operations listener (0: any free port)")
        ->envname("ARRIMAGE_METRICS_PORT")
        ->capture_default_str();
    serve->add_option("--public-base-url", cfg.public_base_url, "URL users reach the service at (https enables secure cookies)")
        ->envname("ARRIMAGE_PUBLIC_BASE_URL")
        ->capture_default_str();
    int idle_minutes = 30, absolute_hours = 12;
    serve->add_option("--session-idle-minutes", idle_minutes, "Sign out after this much inactivity")
        ->envname("ARRIMAGE_SESSION_IDLE_MINUTES")
        ->check(CLI::Range(1, 24 * 60))
        ->capture_default_str();
    serve->add_option("--session-absolute-hours", absolute_hours, "Sign out this long after sign-in")
        ->envname("ARRIMAGE_SESSION_ABSOLUTE_HOURS")
        ->check(CLI::Range(1, 24 * 7))
        ->capture_default_str();
    serve->add_option("--threads", cfg.threads, "Server threads (0: one per core)")->envname("ARRIMAGE_THREADS");
    serve->add_option("--db-pool", cfg.db_pool, "Database connections (0: threads + 2)")->envname("ARRIMAGE_DB_POOL");
    serve->add_option("--max-body-bytes", cfg.limits.body_limit, "Largest request body accepted")
        ->envname("ARRIMAGE_MAX_BODY_BYTES")
        ->capture_default_str();
    serve->add_option("--max-header-bytes", cfg.limits.header_limit, "Largest request header block accepted")
        ->envname("ARRIMAGE_MAX_HEADER_BYTES")
        ->capture_default_str();
    std::vector<std::string> mfa_roles;
    serve->add_option("--require-mfa-for", mfa_roles, "Roles that must use two-step verification (comma-separated)")
        ->envname("ARRIMAGE_REQUIRE_MFA_FOR")
        ->delimiter(',');
    serve->add_option("--static-dir", cfg.static_dir, "Front-end assets directory")->envname("ARRIMAGE_STATIC_DIR");
    serve->add_option("--smtp-url", cfg.smtp_url, "SMTP relay for the email outbox (smtp://host:port)")
        ->envname("ARRIMAGE_SMTP_URL");
    serve->add_option("--smtp-from", cfg.smtp_from, "Sender address of outgoing email")->envname("ARRIMAGE_SMTP_FROM");
    std::string smtp_username, smtp_password;
    serve->add_option("--smtp-username", smtp_username, "SMTP user name")->envname("ARRIMAGE_SMTP_USERNAME");
    serve->add_option("--smtp-password", smtp_password, "SMTP password (prefer the environment variable)")
        ->envname("ARRIMAGE_SMTP_PASSWORD");
    serve
        ->add_option("--directory-stale-days", cfg.directory_stale_days,
                     "Flag a service's waitlist as possibly out of date after this many days without an update")
        ->envname("ARRIMAGE_DIRECTORY_STALE_DAYS")
        ->check(CLI::Range(1, 365))
        ->capture_default_str();
    serve->add_option("--search-cache-entries", cfg.search_cache_entries, "Directory searches kept in memory (0: no cache)")
        ->envname("ARRIMAGE_SEARCH_CACHE_ENTRIES")
        ->check(CLI::Range(0, 100000))
        ->capture_default_str();
    int search_cache_seconds = static_cast<int>(cfg.search_cache_ttl.count());
    serve
        ->add_option("--search-cache-seconds", search_cache_seconds,
                     "How long a cached search may be served (changes made through this server drop it at once)")
        ->envname("ARRIMAGE_SEARCH_CACHE_SECONDS")
        ->check(CLI::Range(0, 3600))
        ->capture_default_str();
    std::vector<std::string> trusted_proxies;
    serve
        ->add_option("--trusted-proxy", trusted_proxies,
                     "Addresses of reverse proxies whose X-Forwarded-For header names the client (comma-separated)")
        ->envname("ARRIMAGE_TRUSTED_PROXY")
        ->delimiter(',');
    serve
        ->add_option("--break-glass-minutes", cfg.break_glass_minutes,
                     "How long emergency access to a child's file lasts once opened (break the glass)")
        ->envname("ARRIMAGE_BREAK_GLASS_MINUTES")
        ->check(CLI::Range(5, 240))
        ->capture_default_str();
    int reminder_minutes = 60;
    serve
        ->add_option("--reminder-minutes", reminder_minutes,
                     "How often the server raises reminders of unanswered referrals and overdue items (0: never; "
                     "run `arrimage reminders` instead)")
        ->envname("ARRIMAGE_REMINDER_MINUTES")
        ->check(CLI::Range(0, 1440))
        ->capture_default_str();
    int database_wait_seconds = 60;
    serve
        ->add_option("--database-wait-seconds", database_wait_seconds,
                     "At start, how long to wait for a database that is not reachable yet (0: do not wait)")
        ->envname("ARRIMAGE_DATABASE_WAIT_SECONDS")
        ->check(CLI::Range(0, 3600))
        ->capture_default_str();
    serve->add_flag("--dev", cfg.dev_mode, "Development mode: the outbox page shows message bodies")->envname("ARRIMAGE_DEV");
    bool auto_migrate = false, demo_if_empty = false, fast_hash = false;
    serve->add_flag("--migrate", auto_migrate, "Apply pending migrations before serving");
    serve->add_flag("--demo-data-if-empty", demo_if_empty, "Load the demo data when the database has no organisations");
    serve->add_flag("--insecure-fast-password-hash", fast_hash, "Tests only: minimum argon2id cost")->group("");

    auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
    auto* demo = cli.add_subcommand("demo-data", "Load the synthetic demo data into an empty database");

    auto* reminders = cli.add_subcommand("directory-reminders",
                                         "Email organisations whose waitlists are out of date (run daily, e.g. from cron)");
    reminders->add_option("--directory-stale-days", cfg.directory_stale_days, "Days after which a waitlist is out of date")
        ->envname("ARRIMAGE_DIRECTORY_STALE_DAYS")
        ->check(CLI::Range(1, 365))
        ->capture_default_str();
    reminders->add_option("--public-base-url", cfg.public_base_url, "URL users reach the service at")
        ->envname("ARRIMAGE_PUBLIC_BASE_URL");

    auto* notify = cli.add_subcommand(
        "reminders",
        "Raise the reminders of unanswered referrals, agreements due for review or expiring, governance decisions due and "
        "yearly reports to sign, complaints due or overdue, and the notices of overdue items "
        "(serve does it hourly; a run by hand counts as the hour's run)");
    notify->add_option("--public-base-url", cfg.public_base_url, "URL users reach the service at")
        ->envname("ARRIMAGE_PUBLIC_BASE_URL");

    auto* jobs_cmd = cli.add_subcommand(
        "jobs", "Print the scheduled jobs (run by one node, the leader) with their last run and the recent runs");
    int jobs_limit = 20;
    jobs_cmd->add_option("--limit", jobs_limit, "How many recent runs to print")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();

    auto* create_admin = cli.add_subcommand("create-admin", "Create a system administrator and print an activation link");
    std::string admin_email, admin_name, admin_org;
    create_admin->add_option("--email", admin_email, "Email address")->required();
    create_admin->add_option("--name", admin_name, "Full name")->required();
    create_admin->add_option("--organisation-id", admin_org, "Organisation the administrator belongs to")->required();
    create_admin->add_option("--public-base-url", cfg.public_base_url, "URL users reach the service at")
        ->envname("ARRIMAGE_PUBLIC_BASE_URL");

    auto* hsds_export =
        cli.add_subcommand("hsds-export", "Write the public directory as HSDS 3.0 CSV files (English in DIR, French in DIR/fr)");
    std::string hsds_out, hsds_dir, hsds_sda, hsds_sector = "social_services";
    hsds_export->add_option("--out", hsds_out, "Directory to write")->required();
    auto* hsds_import = cli.add_subcommand("hsds-import", "Validate and import an HSDS 3.0 CSV set (all or nothing)");
    hsds_import->add_option("--dir", hsds_dir, "Directory with the CSV files (French text in DIR/fr, optional)")->required();
    hsds_import->add_option("--sda", hsds_sda, "Code of the service delivery area of the imported organisations")->required();
    hsds_import->add_option("--sector", hsds_sector, "Sector of the imported organisations")->capture_default_str();
    bool hsds_dry_run = false;
    hsds_import->add_flag("--dry-run", hsds_dry_run, "Validate only: write nothing");
    std::string hsds_lang = default_report_lang();
    hsds_import->add_option("--lang", hsds_lang, "Language of the report: fr or en (default: fr when LANG starts with fr)")
        ->check(CLI::IsMember({"fr", "en"}))
        ->capture_default_str();

    auto* audit = cli.add_subcommand("audit", "The audit trail of access to personal information");
    audit->require_subcommand(1);
    auto* audit_verify =
        audit->add_subcommand("verify", "Check the audit hash chain: exit 0 when intact, 1 naming the first broken row");
    std::string audit_anchor;
    audit_verify->add_option("--anchor", audit_anchor,
                             "ID:HASH of the head printed by an earlier run: also detects rows removed from the end");

    auto* backup = cli.add_subcommand(
        "backup", "Back up the SQLite database online to a file (for PostgreSQL: prints the pg_dump and pg_basebackup commands)");
    std::string backup_out;
    bool backup_force = false;
    backup->add_option("--out", backup_out, "File to write (refused when it exists, unless --force)")->required();
    backup->add_flag("--force", backup_force, "Replace an existing file");
    auto* restore =
        cli.add_subcommand("restore", "Restore an SQLite backup as the database of --database-url (stop the server first)");
    std::string restore_from;
    bool restore_force = false;
    restore->add_option("--from", restore_from, "Backup file written by arrimage backup")->required();
    restore->add_flag("--force", restore_force, "Replace the existing database");
    auto* migrate_data =
        cli.add_subcommand("migrate-data", "Copy every row of an SQLite database into a migrated, empty PostgreSQL database");
    std::string data_from, data_to;
    migrate_data->add_option("--from", data_from, "The SQLite database to move (sqlite:PATH)")->required();
    migrate_data->add_option("--to", data_to, "The PostgreSQL database (postgresql://...), migrated to the same version")
        ->required();

    CLI11_PARSE(cli, argc, argv);
    setup_logging(cfg.log_level);
    struct FlushLogsAtExit {
        ~FlushLogsAtExit() { spdlog::shutdown(); }
    } flush_logs_at_exit;
    cfg.session_idle = std::chrono::minutes(idle_minutes);
    cfg.session_absolute = std::chrono::hours(absolute_hours);
    cfg.search_cache_ttl = std::chrono::seconds(search_cache_seconds);
    for (const auto& r : mfa_roles) {
        auto role = domain::parse_role(trim(r));
        if (!role) {
            std::cerr << "unknown role in --require-mfa-for: " << r << "\n";
            return 2;
        }
        cfg.mfa_roles.push_back(*role);
    }
    for (const auto& p : trusted_proxies) {
        auto address = http::parse_ip_address(trim(p));
        if (!address) {
            std::cerr << "--trusted-proxy must list IP addresses: " << p << "\n";
            return 2;
        }
        cfg.trusted_proxies.push_back(*address);
    }
    if (fast_hash) cfg.password_cost = PasswordHashCost::minimum();
    if (cfg.threads <= 0) cfg.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (cfg.db_pool <= 0) cfg.db_pool = cfg.threads + 2;
    // Before the database is opened: opening creates the file and turns WAL on, which must not
    // happen to a restore's target.
    if (*backup) return app::run_backup(cfg.database_url, backup_out, backup_force, std::cout, std::cerr);
    if (*restore) return app::run_restore(restore_from, cfg.database_url, restore_force, std::cout, std::cerr);
    if (*migrate_data) return app::run_migrate_data(data_from, data_to, std::cout, std::cerr);

    SystemClock clock;
    SodiumRandom random;
    try {
        const auto started = std::chrono::steady_clock::now();
        auto db = open_db(cfg.database_url, cfg.db_pool,
                          *serve ? std::chrono::seconds(database_wait_seconds) : std::chrono::seconds(0));

        if (*migrate) {
            const auto applied = store::migrate(*db);
            store::analyze(*db);
            std::cout << "migrations applied: " << applied.size() << ", schema version " << store::current_version(*db) << "\n";
            return 0;
        }
        if (!store::pending_migrations(*db).empty()) {
            if (!auto_migrate) {
                std::cerr << "the database schema is not up to date: run `arrimage migrate` first\n";
                return 1;
            }
            store::migrate(*db);
        }
        if (*audit_verify) {
            std::optional<store::AuditAnchor> anchor;
            if (!audit_anchor.empty() && !(anchor = store::parse_audit_anchor(audit_anchor))) {
                std::cerr << "--anchor must be ID:HASH as printed by `arrimage audit verify`\n";
                return 2;
            }
            const auto v = store::verify_audit_chain(*db, anchor);
            if (!v.intact()) {
                std::cout << "audit chain BROKEN at row " << v.broken->id << " (" << store::code(v.broken->kind)
                          << "): " << v.broken->detail << "\n"
                          << v.rows << " rows verified before the break\n";
                return 1;
            }
            std::cout << "audit chain intact: " << v.rows << " rows\nhead " << v.head.id << ":" << v.head.hash << "\n";
            return 0;
        }
        if (*hsds_export) {
            auto tx = db->begin(store::TxMode::read);
            const auto snapshot = interop::load_directory(*tx);
            std::string error;
            if (!interop::write_hsds_export(snapshot, hsds_out, error)) {
                std::cerr << error << "\n";
                return 1;
            }
            std::cout << "HSDS export written to " << hsds_out << ": " << snapshot.organisations.size() << " organizations, "
                      << snapshot.locations.size() << " locations, " << snapshot.services.size() << " services\n";
            return 0;
        }
        if (*hsds_import) {
            // Everything it says, in the language asked: sentences of the catalogue, never its keys.
            const Catalogue catalogue = web::load_catalogue();
            const Lang lang = parse_lang(hsds_lang).value_or(Lang::en);
            interop::ImportOptions options;
            auto sector = domain::parse_sector(hsds_sector);
            if (!sector) {
                std::string sectors;
                for (auto known : domain::all_sectors())
                    sectors += (sectors.empty() ? "" : ", ") + std::string(domain::code(known));
                std::cerr << catalogue.t(lang, "hsds.import.unknown_sector", {hsds_sector, sectors}) << "\n";
                return 2;
            }
            options.sector = *sector;
            if (std::error_code ec; !std::filesystem::is_directory(hsds_dir, ec)) {
                std::cerr << catalogue.t(lang, "hsds.import.not_a_directory", {hsds_dir}) << "\n";
                return 2;
            }
            auto tx = db->begin(store::TxMode::write);
            auto sda = tx->query_one("SELECT id FROM service_delivery_areas WHERE code = ? AND active = 1", {hsds_sda});
            if (!sda) {
                std::cerr << catalogue.t(lang, "hsds.import.unknown_sda", {hsds_sda}) << "\n";
                return 2;
            }
            options.sda_id = sda->i64(0);
            interop::CsvSet primary, french;
            interop::ImportReport report;
            if (interop::read_hsds_dir(hsds_dir, primary, french, report, options.max_file_bytes))
                report = interop::hsds_import(*tx, clock, primary, french, options);
            if (!report.ok()) {
                tx->rollback();
                const std::string problems = std::to_string(report.issues.size());
                std::cerr << catalogue.t(lang, "hsds.import.report_heading", {problems}) << "\n"
                          << import_issue_lines(catalogue, lang, report.issues)
                          << catalogue.t(lang, "hsds.import.invalid", {problems}) << "\n";
                return 1;
            }
            if (hsds_dry_run) {
                tx->rollback();
            } else {
                tx->commit();
                store::analyze(*db);
            }
            if (!report.notes.empty())
                std::cout << catalogue.t(lang, "hsds.import.notes_heading", {std::to_string(report.notes.size())}) << "\n"
                          << import_issue_lines(catalogue, lang, report.notes);
            std::cout << catalogue.t(lang, hsds_dry_run ? "hsds.import.valid" : "hsds.import.done",
                                     {std::to_string(report.organisations), std::to_string(report.locations),
                                      std::to_string(report.services)})
                      << "\n";
            return 0;
        }
        if (*demo) {
            const bool loaded = app::load_demo_data(*db, clock, cfg.password_cost);
            if (loaded) store::analyze(*db);
            std::cout << (loaded ? "demo data loaded\n" : "the database already has organisations: nothing loaded\n");
            return 0;
        }
        // Run by hand (or from cron), these two are recorded in job_runs as the scheduler's runs
        // are: `arrimage jobs` shows them, and `serve` counts them as the interval's run.
        if (*reminders) {
            const auto catalogue = web::load_catalogue();
            const int queued = jobs::run_recorded(*db, clock, "directory-reminders", jobs::default_node_name(),
                                                  [&] { return queue_directory_reminders(*db, clock, catalogue, cfg); });
            std::cout << "reminders queued in the outbox: " << queued << "\n";
            return 0;
        }
        if (*notify) {
            const auto catalogue = web::load_catalogue();
            ReminderTotals t;
            try {
                jobs::run_recorded(*db, clock, "reminders", jobs::default_node_name(), [&] {
                    t = raise_all_reminders(*db, clock, catalogue, cfg.public_base_url);
                    if (!t.complaints) throw ComplaintRemindersFailed(t.notifications());
                    return t.notifications();
                });
            } catch (const ComplaintRemindersFailed&) {
                // Told below: the rest was written.
            }
            std::cout << "Referrals reminded about: " << t.run.referrals << ". Overdue items notified: " << t.run.overdue
                      << ". Agreement reminders written: " << t.agreements << ". Governance reminders written: " << t.governance
                      << ". Community plan reminders written: " << t.plans << ". Training reminders written: " << t.trainings
                      << ". Complaint reminders written: " << (t.complaints ? std::to_string(*t.complaints) : "none (failed)")
                      << ". Notifications written: " << t.notifications() << ".\n";
            // The rest is kept; cron hears that the complaints' part failed.
            if (!t.complaints) {
                std::cerr << "complaint reminders failed (see the log); the other reminders were written\n";
                return 1;
            }
            return 0;
        }
        if (*jobs_cmd) {
            std::vector<store::JobRun> recent;
            std::vector<std::string> names;
            std::vector<std::optional<store::JobRun>> lasts;
            {
                auto tx = db->begin(store::TxMode::read);
                store::JobRunsRepo runs(*tx, clock);
                for (const auto& k : known_jobs) names.emplace_back(k.name);
                // Runs of a job serve no longer schedules (an older version's) are shown too.
                for (const auto& j : runs.jobs())
                    if (std::find(names.begin(), names.end(), j) == names.end()) names.push_back(j);
                for (const auto& n : names) lasts.push_back(runs.last(n));
                recent = runs.recent(jobs_limit);
                tx->commit();
            }
            std::cout << "Scheduled jobs: one node at a time, the leader, runs them for every node serving this database.\n";
            for (std::size_t i = 0; i < names.size(); ++i) {
                std::string what = "is no longer scheduled";
                for (const auto& k : known_jobs)
                    if (k.name == names[i]) what = std::string(k.what);
                std::cout << "- " << names[i] << " " << what << ". "
                          << (lasts[i] ? "Its last run " + run_sentence(*lasts[i], items_of(names[i]))
                                       : std::string("It has never run."))
                          << "\n";
            }
            if (recent.empty()) {
                std::cout << "No run has been recorded yet.\n";
            } else {
                std::cout << "The " << recent.size() << " most recent runs, newest first:\n";
                for (const auto& r : recent) std::cout << "- " << r.job << " " << run_sentence(r, items_of(r.job)) << "\n";
            }
            return 0;
        }
        if (*create_admin) {
            auto tx = db->begin(store::TxMode::write);
            store::IdentityRepo repo(*tx, clock);
            domain::User u;
            auto errors = domain::validate(domain::UserForm{admin_email, admin_name, "en"}, u);
            auto org = domain::parse_id(admin_org);
            if (!errors.empty() || !org || !repo.find_organisation(*org)) {
                std::cerr << "invalid email, name or organisation id\n";
                return 2;
            }
            auto id = repo.create_user(u, 0);
            if (!id) {
                std::cerr << "a user with this email already exists\n";
                return 1;
            }
            (void)repo.add_membership(*id, {*org, domain::Role::system_admin}, 0);
            const std::string token = random.token(32);
            store::AuthRepo(*tx, clock).create_token(hash_token(token), *id, "invite", clock.now() + cfg.invitation_ttl);
            tx->commit();
            std::cout << "activation link (valid " << cfg.invitation_ttl.count() << " hours): " << cfg.public_base_url
                      << "/invitation/" << token << "\n";
            return 0;
        }

        // serve
        bool demo_loaded = false;
        if (demo_if_empty) demo_loaded = app::load_demo_data(*db, clock, cfg.password_cost);
        if (demo_loaded)
            store::analyze(*db);
        else
            store::analyze_if_never_done(*db);
        cfg.limits.upload_paths = web::upload_paths();
        cfg.limits.upload_cookie = cfg.session_cookie();
        web::WebApp webapp(cfg, *db, clock, random);
        cfg.limits.upload_session = webapp.upload_session_check();
        // Builds the directory's search index in the background; searches read the database
        // until it is ready.
        webapp.search_index().request_rebuild();
        http::Server server(
            cfg.listen_address, cfg.port, cfg.limits, [&](http::Request& r) { return webapp.serve(r); },
            [&](int status, const http::Request& r) { return webapp.transport_error(status, r); }, cfg.threads);
        server.listen();
        // /metrics on a listener of its own, one thread; with the scheduler's leadership once it runs.
        std::atomic<const jobs::Scheduler*> running_scheduler{nullptr};
        http::Server operations(
            cfg.metrics_address, cfg.metrics_port, cfg.limits,
            [&](http::Request& r) {
                auto response = webapp.handle_operations(r);
                const auto* s = running_scheduler.load();
                if (r.path == "/metrics" && response.status == 200 && s)
                    response.body += fmt::format(
                        "# HELP arrimage_scheduler_leader 1 when this node runs the scheduled work.\n"
                        "# TYPE arrimage_scheduler_leader gauge\narrimage_scheduler_leader {}\n",
                        s->is_leader() ? 1 : 0);
                return response;
            },
            [&](int status, const http::Request&) { return http::Response::text(status, "error\n"); }, 1);
        operations.listen();
        std::thread operations_thread([&] { operations.run(false); });
        // The scheduled work, run by one node of those sharing the database (the leader), each job
        // once per interval whichever node runs it (jobs/scheduler.hpp; `arrimage jobs` lists the
        // runs). A job never run, or not within its interval, runs at the leader's first tick.
        std::vector<jobs::Job> scheduled;
        std::unique_ptr<jobs::SmtpMailer> mailer;
        if (!cfg.smtp_url.empty()) {
            mailer =
                std::make_unique<jobs::SmtpMailer>(jobs::SmtpSettings{cfg.smtp_url, cfg.smtp_from, smtp_username, smtp_password});
            scheduled.push_back({"outbox", std::chrono::seconds(10),
                                 [&](store::Database& d) { return jobs::deliver_outbox(d, clock, *mailer); }});
        }
        // Reminders of unanswered referrals, overdue items, agreements' reviews and expiries, governance
        // decisions due and yearly reports to sign, community plans' reviews and progress reports,
        // required trainings due, overdue, expiring or lapsed, complaints due or overdue.
        if (reminder_minutes > 0)
            scheduled.push_back({"reminders", std::chrono::minutes(reminder_minutes), [&](store::Database& d) {
                                     const auto t = raise_all_reminders(d, clock, webapp.catalogue(), cfg.public_base_url);
                                     if (!t.complaints) throw ComplaintRemindersFailed(t.notifications());
                                     return t.notifications();
                                 }});
        // Waitlists gone stale (once per staleness: a second run the same day finds them reminded).
        scheduled.push_back({"directory-reminders", std::chrono::hours(24),
                             [&](store::Database& d) { return queue_directory_reminders(d, clock, webapp.catalogue(), cfg); }});
        jobs::Scheduler scheduler(*db, clock, store::open_leader_lock(cfg.database_url, "arrimage-scheduler"),
                                  std::move(scheduled));
        scheduler.start();
        running_scheduler = &scheduler;
        const auto ready_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        spdlog::info(
            R"({{"msg":"listening","address":{},"port":{},"threads":{},"ready_ms":{:.1f},"metrics_address":{},"metrics_port":{}}})",
            json_string(cfg.listen_address), server.port(), cfg.threads, ready_ms, json_string(cfg.metrics_address),
            operations.port());
        spdlog::default_logger()->flush();
        std::cout << "Arrimage is ready at http://" << cfg.listen_address << ":" << server.port() << "/\n";
        if (demo_loaded || demo_if_empty) {
            std::cout << "Demo sign-ins (password for all: " << app::demo_password << "):\n";
            for (const auto& l : app::demo_logins()) std::cout << "  " << l.email << "  (" << l.role << ")\n";
        }
        std::cout.flush();
        server.run(true);
        operations.stop();
        operations_thread.join();
        running_scheduler = nullptr;
        scheduler.stop();
        webapp.search_index().stop();
        db->close();
        spdlog::info(R"({"msg":"stopped"})");
        spdlog::default_logger()->flush();
        return 0;
    } catch (const std::exception& e) {
        spdlog::error(R"({{"msg":"fatal","error":{}}})", json_string(e.what()));
        spdlog::default_logger()->flush();
        std::cerr << "arrimage: " << e.what() << "\n";
        return 1;
    }
}
