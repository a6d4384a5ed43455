// The family feature's pages (pages_family.cpp): family access to a file for its coordinator
// (/children/{id}/family), joining with an invitation code (/family/join), and a family account's
// own pages (/family, /family/children/{id}). The web kernel registers them
// (WebApp::register_pages).
#pragma once
#include <cstdint>
#include <string>

namespace arrimage::web {

struct Ctx;

namespace family_pages {
// A file's pages for its family account: the plan at this path, and its other pages under it.
inline std::string family_href(std::int64_t person_id) {
    return "/family/children/" + std::to_string(person_id);
}
// The coordinator hears of what the family did on its own pages (in their inbox, by email when
// they want it): the file's assigned coordinators, else its coordinating agency's managers, with
// `link` (a staff page of the file) and "the family <what_key's sentence>" (pages_family_consent.cpp).
void tell_coordinator(Ctx& ctx, std::int64_t person_id, const std::string& what_key, const std::string& link);
}  // namespace family_pages

class WebApp;
void register_family_pages(WebApp& app);
// The family's consent and lockbox, and a capable youth's choices of what their family sees
// (pages_family_consent.cpp), registered by register_family_pages.
void register_family_consent_pages(WebApp& app);
// What the family raises on its file (/family/children/{id}/requests) and the file's concerns and
// complaints for its coordinator and agency (/children/{id}/concerns), pages_family_requests.cpp.
void register_family_request_pages(WebApp& app);

}  // namespace arrimage::web
