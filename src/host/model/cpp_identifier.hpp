// Names earshot writes into generated C/C++ (namespaces, arrays, file names) must compile.
#pragma once
#include <string>

namespace earshot::model {

// Throws earshot::Error naming `what` unless `name` is a C++ identifier that is not a keyword,
// not reserved (leading underscore + capital, or "__" anywhere) and not "std".
void check_cpp_identifier(const std::string& name, const std::string& what);

}  // namespace earshot::model
