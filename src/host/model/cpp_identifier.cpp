#include "host/model/cpp_identifier.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string_view>

#include "host/error.hpp"

namespace earshot::model {
namespace {

// C++20 keywords and alternative tokens, plus C's (the C array header is also included from C).
constexpr std::string_view kKeywords[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char", "char8_t",
    "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr", "constinit", "const_cast", "continue",
    "co_await", "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum", "explicit",
    "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new",
    "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
    "reinterpret_cast", "requires", "restrict", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast",
    "struct", "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union",
    "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "_Bool", "_Complex", "_Imaginary",
    "std"};

}  // namespace

void check_cpp_identifier(const std::string& name, const std::string& what) {
    const bool identifier = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
                            std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (!identifier) throw Error(what + " '" + name + "' must be a C++ identifier (letters, digits and _, not starting with a digit)");
    if (std::find(std::begin(kKeywords), std::end(kKeywords), name) != std::end(kKeywords)) {
        throw Error(what + " '" + name + "' is a C++ keyword (or std); choose another name");
    }
    if ((name.size() > 1 && name[0] == '_' && std::isupper(static_cast<unsigned char>(name[1]))) || name.find("__") != std::string::npos) {
        throw Error(what + " '" + name + "' is reserved for the compiler (leading _ and a capital, or __)");
    }
}

}  // namespace earshot::model
