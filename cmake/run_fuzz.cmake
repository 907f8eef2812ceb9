# ctest: build the libFuzzer targets with clang and fuzz the .tflite reader for a short while,
# starting from the reference model. Usage:
#   cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DSEED=model.tflite [-DSECONDS=30] -P run_fuzz.cmake
if(NOT SECONDS)
  set(SECONDS 30)
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
          -DCMAKE_CXX_COMPILER=clang++ -DEARSHOT_FUZZ=ON -DEARSHOT_WERROR=ON
  RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the clang fuzz build failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --target fuzz_tflite_reader RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building fuzz_tflite_reader failed")
endif()
set(corpus ${BINARY_DIR}/corpus_tflite)
file(MAKE_DIRECTORY ${corpus})
if(EXISTS ${SEED})
  file(COPY ${SEED} DESTINATION ${corpus})
endif()
execute_process(
  COMMAND ${BINARY_DIR}/bin/fuzz_tflite_reader ${corpus} -max_total_time=${SECONDS} -timeout=10 -artifact_prefix=${BINARY_DIR}/ -rss_limit_mb=2048 -print_final_stats=1
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the .tflite reader fuzzer found a failure (the failing input is saved in ${BINARY_DIR})")
endif()
