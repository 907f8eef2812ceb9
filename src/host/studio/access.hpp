// Who may talk to the studio. It serves the user's recordings and runs training jobs, so like
// Jupyter it wants a per-run secret: every request carries the token (the X-Earshot-Token
// header, ?token= in the URL the studio prints, or the cookie the page gets from that URL),
// names this server as its Host (a DNS-rebinding page would name its own), and, when the
// browser says where it comes from (Origin), comes from this server's own page.
#pragma once
#include <string>

namespace earshot::studio {

// 32 hex digits from the operating system's random source.
std::string make_token();

struct RequestFacts {
    std::string host;          // the Host header
    std::string origin;        // the Origin header ("" when absent)
    std::string header_token;  // X-Earshot-Token
    std::string query_token;   // ?token=
    std::string cookie;        // the Cookie header, whole
};

// "" when the request may go on, else why not (a 403's body).
std::string refuse_reason(const std::string& token, int port, const RequestFacts& request);

// The cookie the page gets once it arrived with the right ?token= (SameSite=Strict: another
// site's requests do not carry it).
std::string token_cookie(const std::string& token);

}  // namespace earshot::studio
