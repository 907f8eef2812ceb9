# ctest: make the two demo reports (the default recipe and the tutorial's) with --small and open
# each in headless Chromium (sim/check_report.mjs): every picture must load. Screenshots are
# left in WORK_DIR for the README. Usage:
#   cmake -DEARSHOT=earshot -DNODE=node -DSIM_DIR=sim -DWORK_DIR=dir -P check_reports.cmake
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
foreach(recipe default tutorial)
  set(args demo --small --quiet --out ${WORK_DIR}/${recipe})
  set(min_images 2)
  if(recipe STREQUAL "tutorial")
    list(APPEND args --tutorial)
    set(min_images 5)
  endif()
  execute_process(COMMAND ${EARSHOT} ${args} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "earshot ${args} failed")
  endif()
  execute_process(COMMAND ${NODE} ${SIM_DIR}/check_report.mjs ${WORK_DIR}/${recipe}/report.html ${WORK_DIR}/report_${recipe}.png
                          --min-images ${min_images}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the ${recipe} report does not render in Chromium (see above)")
  endif()
endforeach()
