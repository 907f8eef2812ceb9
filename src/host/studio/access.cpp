#include "host/studio/access.hpp"

#include <cstdint>
#include <random>

namespace earshot::studio {
namespace {

constexpr const char* kCookieName = "earshot_token=";

// Equal strings, compared in time that does not depend on where they first differ.
bool same_secret(const std::string& a, const std::string& b) {
    if (a.size() != b.size() || a.empty()) return false;
    unsigned diff = 0;
    for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
    return diff == 0;
}

std::string cookie_token(const std::string& cookie) {
    for (size_t at = cookie.find(kCookieName); at != std::string::npos; at = cookie.find(kCookieName, at + 1)) {
        if (at != 0 && cookie[at - 1] != ' ' && cookie[at - 1] != ';') continue;
        const size_t start = at + std::char_traits<char>::length(kCookieName);
        const size_t end = cookie.find(';', start);
        return cookie.substr(start, end == std::string::npos ? std::string::npos : end - start);
    }
    return {};
}

bool is_own_host(const std::string& host, int port) {
    const std::string p = ":" + std::to_string(port);
    return host == "127.0.0.1" + p || host == "localhost" + p || host == "[::1]" + p;
}

}  // namespace

std::string make_token() {
    std::random_device device;  // /dev/urandom on Linux
    static const char* kHex = "0123456789abcdef";
    std::string token;
    for (int i = 0; i < 4; ++i) {
        const uint32_t v = device();
        for (int k = 0; k < 8; ++k) token += kHex[(v >> (4 * k)) & 0xf];
    }
    return token;
}

std::string refuse_reason(const std::string& token, int port, const RequestFacts& request) {
    if (!is_own_host(request.host, port)) return "refused: the Host header '" + request.host + "' is not this studio (127.0.0.1 or localhost, port " + std::to_string(port) + ")";
    if (!request.origin.empty() && !is_own_host(request.origin.rfind("http://", 0) == 0 ? request.origin.substr(7) : std::string("-"), port)) {
        return "refused: requests from another site (Origin '" + request.origin + "') may not use the studio";
    }
    if (!same_secret(request.header_token, token) && !same_secret(request.query_token, token) && !same_secret(cookie_token(request.cookie), token)) {
        return "refused: missing or wrong token: open the URL earshot studio printed (it ends in ?token=...)";
    }
    return {};
}

std::string token_cookie(const std::string& token) { return kCookieName + token + "; Path=/; HttpOnly; SameSite=Strict"; }

}  // namespace earshot::studio
