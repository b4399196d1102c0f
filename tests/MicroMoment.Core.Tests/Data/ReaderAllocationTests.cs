using System.Diagnostics;
using MicroMoment.Data;
using MicroMoment.Events;

namespace MicroMoment.Tests.Data;

public class ReaderAllocationTests
{
    [Fact]
    public void ReadingAMillionRowsAllocatesAlmostNothingPerRow()
    {
        const int rows = 1_000_000;
        using var stream = new SyntheticRees46Stream(rows);
        var report = new IngestReport();
        long purchases = 0;
        long checksum = 0;

        var watch = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var e in Rees46CsvReader.Read(stream, "synthetic-1M.csv", report))
        {
            checksum += e.ProductId + e.UserId.Length;
            if (e.Type == EventType.Purchase)
            {
                purchases++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        watch.Stop();

        Assert.Equal(rows, report.RowsAccepted);
        Assert.Equal(0, report.RowsRejected);
        Assert.InRange(purchases, rows / 50, rows / 20);
        Assert.True(checksum > 0);
        double perRow = allocated / (double)rows;
        Assert.True(perRow < 64, $"allocated {perRow:F1} B/row ({allocated:N0} B for {rows:N0} rows) in {watch.ElapsedMilliseconds} ms");
    }
}
