# report and plot: extras for the chart and report tests.

# The unit tests of plot and report share a hand-built analysis result.
build/tests/test_plot build/tests/test_report build/tests/test_compare build/asan/tests/test_plot build/asan/tests/test_report build/asan/tests/test_compare: tests/plot/fixture.h

.PHONY: plot-golden hostile-fixture

# Rewrite the golden chart scripts and data (tests/plot/expected/) from the current code; review the diff.
plot-golden: build/tests/test_plot data
	UPDATE_GOLDEN=1 build/tests/test_plot

# Regenerate the hostile export of tests/e2e/cases/hostile-export.
hostile-fixture:
	tests/hostile/make-fixture tests/e2e/cases/hostile-export
