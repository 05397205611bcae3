using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.IO;

[TestClass]
public sealed class FileIdentityTests
{
    [TestMethod]
    [OSCondition(OperatingSystems.Linux)]
    public void HardLinks_AreOneFile_WithTheirNumberOfNames_AndACopyIsAnother()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.Combine("a"), "same bytes");
        File.Copy(folder.Combine("a"), folder.Combine("copy"));
        Assert.IsTrue(HardLink.TryCreate(folder.Combine("a"), folder.Combine("link"), out _));

        var original = FileIdentity.Of(folder.Combine("a"))!.Value;
        var link = FileIdentity.Of(folder.Combine("link"))!.Value;
        var copy = FileIdentity.Of(folder.Combine("copy"))!.Value;

        Assert.IsTrue(original.IsSameFile(link));
        Assert.IsFalse(original.IsSameFile(copy));
        Assert.AreEqual(2u, link.Links);
        Assert.AreEqual(1u, copy.Links);
        Assert.IsNull(FileIdentity.Of(folder.Combine("missing")));
    }
}
