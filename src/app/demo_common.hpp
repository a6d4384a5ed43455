#pragma once
// What the demo loaders share: the message catalogue the reminders they raise are written with,
// and the base URL of their links (their emails are not written: demo addresses go nowhere, so it
// is never used).
#include "core/i18n.hpp"
#include "web/app.hpp"

namespace arrimage::app {

inline const Catalogue& demo_catalogue() {
    static const Catalogue c = web::load_catalogue();
    return c;
}

inline constexpr const char* demo_base_url = "http://127.0.0.1:8080";

}  // namespace arrimage::app
