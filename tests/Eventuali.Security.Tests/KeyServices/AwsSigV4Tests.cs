using System.Text;
using Eventuali.Security.KeyServices;

namespace Eventuali.Security.Tests.KeyServices;

/// <summary>Signature Version 4 against the examples AWS publishes (the SigV4 test suite and the IAM and S3 guides).</summary>
public sealed class AwsSigV4Tests
{
    private const string SuiteAccessKey = "AKIDEXAMPLE";
    private const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static KeyValuePair<string, string>[] Headers(params (string Name, string Value)[] headers)
        => [.. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))];

    [Theory]
    [InlineData("GET", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")] // get-vanilla
    [InlineData("POST", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")] // post-vanilla
    [InlineData("GET", "?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")] // get-vanilla-query-order-key-case
    public void The_signature_test_suite_vectors_match(string method, string query, string signature)
    {
        var authorization = AwsSigV4.Authorization(
            method, "/", query, Headers(("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")), AwsSigV4.EmptyPayloadHash,
            SuiteAccessKey, SuiteSecret, "us-east-1", "service", SuiteTime);

        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}",
            authorization);
    }

    [Fact]
    public void The_IAM_ListUsers_example_matches_at_every_step()
    {
        var headers = Headers(
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Host", "iam.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z"));

        var (canonical, signed) = AwsSigV4.CanonicalRequest("GET", "/", "?Action=ListUsers&Version=2010-05-08", headers, AwsSigV4.EmptyPayloadHash);

        Assert.Equal(
            "GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
            + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            canonical);
        Assert.Equal("content-type;host;x-amz-date", signed);
        Assert.Equal("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59", AwsSigV4.Hex(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
            AwsSigV4.StringToSign(canonical, "us-east-1", "iam", SuiteTime));
        Assert.Equal("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9", Convert.ToHexStringLower(AwsSigV4.SigningKey(SuiteSecret, SuiteTime, "us-east-1", "iam")));
        Assert.Equal("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", AwsSigV4.Signature(canonical, SuiteSecret, "us-east-1", "iam", SuiteTime));
    }

    [Fact]
    public void The_S3_GetObject_example_matches()
    {
        var headers = Headers(
            ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"), ("x-amz-content-sha256", AwsSigV4.EmptyPayloadHash), ("x-amz-date", "20130524T000000Z"));

        var (canonical, _) = AwsSigV4.CanonicalRequest("GET", "/test.txt", "", headers, AwsSigV4.EmptyPayloadHash);
        var time = new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972", AwsSigV4.Hex(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", AwsSigV4.Signature(canonical, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3", time));
    }

    [Fact]
    public void Header_values_are_trimmed_and_inner_spaces_collapsed()
    {
        var (canonical, _) = AwsSigV4.CanonicalRequest("GET", "/", "", Headers(("My-Header1", "  value1   with  spaces "), ("Host", "h")), AwsSigV4.EmptyPayloadHash);

        Assert.Contains("my-header1:value1 with spaces\n", canonical, StringComparison.Ordinal);
    }
}
