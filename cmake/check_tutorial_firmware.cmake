# ctest firmware_tutorial_shaped_board: the tutorial-shaped model's firmware (a spectrogram model
# whose leading nearest resize makes the app keep only the bins it reads, as int8) built with
# `earshot firmware`, then sim/test_firmware.mjs on it: every block's score, the alarm state and
# events equal the host's, PCM and PDM, over UART and USB serial. Usage:
#   cmake -DEARSHOT=earshot -DNODE=node -DSIM_DIR=sim -DMODEL=m.tflite -DWORK_DIR=dir -P check_tutorial_firmware.cmake
file(REMOVE_RECURSE ${WORK_DIR}/board)
execute_process(COMMAND ${EARSHOT} firmware ${MODEL} -o ${WORK_DIR}/earshot_app.uf2 --build-dir ${WORK_DIR}/build RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "earshot firmware ${MODEL} failed")
endif()
execute_process(COMMAND ${NODE} ${SIM_DIR}/test_firmware.mjs ${EARSHOT} ${WORK_DIR}/build/build/firmware/earshot_app.elf ${MODEL} ${WORK_DIR}/board
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the tutorial-shaped firmware differs from the host on the emulated board (see above)")
endif()
