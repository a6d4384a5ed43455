#pragma once
// Shared by the directory's page files (public search and service pages, staff management,
// referral pathways). register_directory_pages (app.hpp) registers all three.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/directory.hpp"
#include "store/directory_repo.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"

namespace arrimage::web {

struct DirectoryOptions {
    int stale_days = domain::default_directory_stale_days;
    int page_size = 20;
};

void register_directory_public_pages(WebApp& app, const DirectoryOptions& options);
void register_directory_manage_pages(WebApp& app, const DirectoryOptions& options);
void register_pathway_pages(WebApp& app, const DirectoryOptions& options);

namespace directory {

store::DirectoryRepo repo(Ctx& ctx);
const std::string& pick(const Ctx& ctx, const std::string& fr, const std::string& en);
// "Accepting new referrals", "Waitlist: about 12 week(s)", "Not accepting new referrals".
std::string waitlist_text(const Ctx& ctx, const std::string& status, const std::optional<std::int64_t>& weeks);
// YYYY-MM-DD of a stored timestamp.
std::string date_part(const std::string& iso);
bool stale(const Ctx& ctx, const std::string& iso, int stale_days);
std::string language_names(const Ctx& ctx, const std::vector<std::string>& codes);
std::vector<Option> category_options(Ctx& ctx);
std::vector<Option> language_options(const Ctx& ctx);
std::vector<Option> waitlist_status_options(const Ctx& ctx);
std::vector<Option> mechanism_options(const Ctx& ctx);
// A pathway's need and/or sector ("Speech and language — Health"), and where it goes
// ("Service — Organisation", or the organisation alone).
std::string need_text(const Ctx& ctx, const store::PathwayRow& p);
std::string target_text(const Ctx& ctx, const store::PathwayRow& p);
// A form page rendered with the directory's form partial (which adds multi-line fields).
http::Response form_page(Ctx& ctx, const std::string& title_key, nlohmann::json form, int status = 200,
                         nlohmann::json extra = nlohmann::json::object());
http::Response error(Ctx& ctx, const Error& e);

}  // namespace directory

}  // namespace arrimage::web
