#include "core/error.hpp"

namespace arrimage {

std::string_view to_string(Errc code) {
    switch (code) {
        case Errc::NotFound:
            return "not_found";
        case Errc::Forbidden:
            return "forbidden";
        case Errc::Invalid:
            return "invalid";
        case Errc::Conflict:
            return "conflict";
        case Errc::Unavailable:
            return "unavailable";
        case Errc::Internal:
            return "internal";
        case Errc::Unauthenticated:
            return "unauthenticated";
        case Errc::RateLimited:
            return "rate_limited";
    }
    return "internal";
}

int http_status(Errc code) {
    switch (code) {
        case Errc::NotFound:
            return 404;
        case Errc::Forbidden:
            return 403;
        case Errc::Invalid:
            return 422;
        case Errc::Conflict:
            return 409;
        case Errc::Unavailable:
            return 503;
        case Errc::Internal:
            return 500;
        case Errc::Unauthenticated:
            return 401;
        case Errc::RateLimited:
            return 429;
    }
    return 500;
}

}  // namespace arrimage
