# cmake -DINPUT=file -DOUTPUT=generated.cpp -P EmbedFile.cmake
# Writes builtin_baseline() returning INPUT's bytes (an empty span if INPUT does not exist).
if(EXISTS "${INPUT}")
  file(READ "${INPUT}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
  set(body "alignas(8) const unsigned char kBytes[] = {\n${bytes}\n};\n}  // namespace\n\nstd::span<const unsigned char> builtin_baseline() { return {kBytes, sizeof kBytes}; }\n")
else()
  set(body "}  // namespace\n\nstd::span<const unsigned char> builtin_baseline() { return {}; }\n")
endif()
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by cmake/EmbedFile.cmake.\n#include \"host/jobs/demo_job.hpp\"\n\nnamespace earshot::jobs {\nnamespace {\n${body}\n}  // namespace earshot::jobs\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
