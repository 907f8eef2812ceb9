# cmake -DINPUT=file -DOUTPUT=generated.cpp -DHEADER=host/x.hpp -DNAMESPACE=earshot::x -DFUNCTION=name -P EmbedFile.cmake
# Writes NAMESPACE::FUNCTION() returning INPUT's bytes (an empty span if INPUT does not exist);
# HEADER declares it.
if(EXISTS "${INPUT}")
  file(READ "${INPUT}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
  set(body "alignas(8) const unsigned char kBytes[] = {\n${bytes}\n};\n}  // namespace\n\nstd::span<const unsigned char> ${FUNCTION}() { return {kBytes, sizeof kBytes}; }\n")
else()
  set(body "}  // namespace\n\nstd::span<const unsigned char> ${FUNCTION}() { return {}; }\n")
endif()
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by cmake/EmbedFile.cmake.\n#include \"${HEADER}\"\n\nnamespace ${NAMESPACE} {\nnamespace {\n${body}\n}  // namespace ${NAMESPACE}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
