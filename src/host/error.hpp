// One error type for everything the host reports to a user: the message names the file
// (or option) and the problem, ready to print after "earshot: error: ".
#pragma once
#include <stdexcept>
#include <string>

namespace earshot {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace earshot
