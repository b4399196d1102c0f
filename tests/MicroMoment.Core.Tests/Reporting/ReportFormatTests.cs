using MicroMoment.Evaluation;
using MicroMoment.Reporting;

namespace MicroMoment.Tests.Reporting;

public class ReportFormatTests
{
    [Fact]
    public void UndefinedValuesReadNotAvailable()
    {
        Assert.Equal("n/a", ReportFormat.Number(double.NaN));
        Assert.Equal("0.913", ReportFormat.Number(0.91349));
        Assert.Equal("12.5%", ReportFormat.Percent(0.125));
    }

    [Fact]
    public void SummariesAndIntervalsReadAsMeanSdAndBrackets()
    {
        Assert.Equal("2.500 ± 1.291 (n = 4)", ReportFormat.MeanSd(Summary.Of([1.0, 2, 3, 4])));
        Assert.Equal("0.700 (n = 1)", ReportFormat.MeanSd(Summary.Of([0.7])));
        Assert.Equal("0.91 [0.90, 0.92]", ReportFormat.Interval(new ConfidenceInterval(0.91, 0.9, 0.92, 0.95, 100, 100), 2));
    }
}
