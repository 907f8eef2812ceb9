# ctest: build the libFuzzer targets with clang and fuzz each untrusted-input parser for a short
# while from its seeds: the .tflite reader, the JSON model config, the audio decoder. Usage:
#   cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DTFLITE_SEED=model.tflite [-DSECONDS=30] -P run_fuzz.cmake
if(NOT SECONDS)
  set(SECONDS 30)
endif()
set(targets fuzz_tflite_reader fuzz_model_config fuzz_audio_decode)
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
          -DCMAKE_CXX_COMPILER=clang++ -DEARSHOT_FUZZ=ON -DEARSHOT_WERROR=ON
  RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the clang fuzz build failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --target ${targets} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the fuzz targets failed")
endif()

function(fuzz target)
  set(corpus ${BINARY_DIR}/corpus_${target})
  file(MAKE_DIRECTORY ${corpus})
  foreach(seed ${ARGN})
    if(EXISTS ${seed})
      file(COPY ${seed} DESTINATION ${corpus})
    endif()
  endforeach()
  message(STATUS "fuzzing ${target} for ${SECONDS} s")
  execute_process(
    COMMAND ${BINARY_DIR}/bin/${target} ${corpus} -max_total_time=${SECONDS} -timeout=10 -artifact_prefix=${BINARY_DIR}/${target}-
            -rss_limit_mb=2048 -print_final_stats=1
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${target} found a failure (the failing input is saved in ${BINARY_DIR} as ${target}-*)")
  endif()
endfunction()

file(GLOB config_seeds ${SOURCE_DIR}/fuzz/seeds/model_config/*)
file(GLOB audio_seeds ${SOURCE_DIR}/fuzz/seeds/audio/*)
fuzz(fuzz_tflite_reader ${TFLITE_SEED})
fuzz(fuzz_model_config ${config_seeds})
fuzz(fuzz_audio_decode ${audio_seeds})
