# C++ accessors for our TFLite schema subset, generated at build time by Debian's flatc.
# Sets TFLITE_GENERATED_DIR and TFLITE_GENERATED_HEADER in the caller's scope.
find_program(FLATC flatc REQUIRED)
set(TFLITE_SCHEMA ${PROJECT_SOURCE_DIR}/src/host/model/tflite_subset.fbs)
set(TFLITE_GENERATED_DIR ${CMAKE_CURRENT_BINARY_DIR}/generated)
set(TFLITE_GENERATED_HEADER ${TFLITE_GENERATED_DIR}/tflite_subset_generated.h)
add_custom_command(
  OUTPUT ${TFLITE_GENERATED_HEADER}
  COMMAND ${FLATC} --cpp -o ${TFLITE_GENERATED_DIR} ${TFLITE_SCHEMA}
  DEPENDS ${TFLITE_SCHEMA}
  COMMENT "flatc: generating TFLite schema accessors")
