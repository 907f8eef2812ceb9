// Outputs are written to a temporary file beside the target and renamed into place, so an
// interrupted run leaves either the old file or the complete new one, never a torn one.
// Atomic replacement is for regular files only: a symlink is followed to its real target,
// and character devices, FIFOs, sockets and stdout ("-") are written straight into, so
// `--png /dev/null` or `--raw -` never replace a special file with a regular one.
#pragma once
#include <filesystem>
#include <functional>
#include <string_view>

namespace earshot::io {

// Where output actually goes: `-` becomes /dev/stdout, a symlink its (final) target.
std::filesystem::path resolve_output_path(const std::filesystem::path& target);

// True when `target` (after resolve_output_path) is an open stream (/dev/stdout, /dev/fd/N) or
// exists and is neither a regular file nor a folder.
bool is_special_output(const std::filesystem::path& target);

// True when output to `target` lands on standard output (`-`, /dev/stdout, /dev/fd/1): commands
// then print their messages to stderr so the data stays clean.
bool is_stdout_output(const std::filesystem::path& target);

// Calls `write_to(path)` to produce the file. For a regular (or new) file `path` is a temporary
// beside the target, renamed onto it afterwards; if `write_to` throws, the temporary is removed
// and the exception propagates. For a special file `path` is the file itself.
void replace_file_atomically(const std::filesystem::path& target,
                             const std::function<void(const std::filesystem::path&)>& write_to);

// Writes `bytes` to `target` as above.
void write_file_atomic(const std::filesystem::path& target, std::string_view bytes);

}  // namespace earshot::io
