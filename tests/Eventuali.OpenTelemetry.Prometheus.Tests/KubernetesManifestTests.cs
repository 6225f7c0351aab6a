using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Eventuali.OpenTelemetry.Prometheus.Tests;

/// <summary>
/// The Kubernetes manifests under deploy/kubernetes parse as YAML (PyYAML, which Debian's python3-yaml provides and
/// scripts/patroni.sh installs with Patroni) and hold what deploy/kubernetes/README.md promises. No Kubernetes schema
/// validator is packaged in Debian, so this checks the promised fields, not the whole API schema.
/// </summary>
public sealed class KubernetesManifestTests
{
    [Fact]
    public async Task The_server_deployment_serves_with_probes_behind_a_matching_service()
    {
        var docs = await LoadAsync("eventuali-server.yaml");
        var deployment = Single(docs, "Deployment");
        var service = Single(docs, "Service");
        Assert.Equal("apps/v1", (string?)deployment["apiVersion"]);

        var container = Container(deployment);
        Assert.Equal("serve", (string?)container["args"]![0]);
        Assert.Contains("http://0.0.0.0:8080", container["args"]!.AsArray().Select(a => (string?)a));
        AssertSecretUrl(container, "EVENTUALI_DATABASE");
        AssertProbes(container);

        // The Service selects the pods and targets the container's named port.
        Assert.Equal(Labels(deployment).ToJsonString(), service["spec"]!["selector"]!.ToJsonString());
        Assert.Equal("http", (string?)service["spec"]!["ports"]![0]!["targetPort"]);
    }

    [Fact]
    public async Task App_nodes_take_the_pod_name_as_node_id_and_outlive_their_lease_when_stopping()
    {
        var docs = await LoadAsync("app-nodes.yaml");
        var deployment = Single(docs, "Deployment");
        var container = Container(deployment);
        AssertSecretUrl(container, "Eventuali__Url");
        AssertProbes(container);
        Assert.Equal("metadata.name", (string?)Env(container, "EVENTUALI_NODE_ID")["valueFrom"]!["fieldRef"]!["fieldPath"]);
        var lease = int.Parse((string)Env(container, "EVENTUALI_LEASE_SECONDS")["value"]!, System.Globalization.CultureInfo.InvariantCulture);
        var grace = (int)deployment["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!;
        Assert.True(grace > lease, $"the grace period ({grace} s) must outlast the lease ({lease} s)");
        Assert.True((int)deployment["spec"]!["replicas"]! >= 2);

        var budget = Single(docs, "PodDisruptionBudget");
        Assert.Equal(Labels(deployment).ToJsonString(), budget["spec"]!["selector"]!["matchLabels"]!.ToJsonString());
    }

    private static void AssertProbes(JsonNode container)
    {
        var port = (string?)container["ports"]![0]!["name"];
        Assert.Equal("/health/ready", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/health/live", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal(port, (string?)container["readinessProbe"]!["httpGet"]!["port"]);
        Assert.Equal(port, (string?)container["livenessProbe"]!["httpGet"]!["port"]);
    }

    private static void AssertSecretUrl(JsonNode container, string variable)
    {
        // The database URL holds a password: it comes from a Secret, never as a literal value in the manifest.
        var env = Env(container, variable);
        Assert.Null(env["value"]);
        Assert.Equal("eventuali-database", (string?)env["valueFrom"]!["secretKeyRef"]!["name"]);
    }

    private static JsonNode Env(JsonNode container, string name)
        => container["env"]!.AsArray().Single(e => (string?)e!["name"] == name)!;

    private static JsonNode Container(JsonNode deployment)
    {
        var template = deployment["spec"]!["template"]!;
        Assert.Equal(Labels(deployment).ToJsonString(), template["metadata"]!["labels"]!.ToJsonString());
        return template["spec"]!["containers"]![0]!;
    }

    private static JsonNode Labels(JsonNode deployment) => deployment["spec"]!["selector"]!["matchLabels"]!;

    private static JsonNode Single(JsonArray docs, string kind) => docs.Single(d => (string?)d!["kind"] == kind)!;

    /// <summary>Every document of the file, as JSON, through PyYAML's safe loader.</summary>
    private static async Task<JsonArray> LoadAsync(string file)
    {
        var path = Repository.PathOf("deploy", "kubernetes", file);
        var start = new ProcessStartInfo("python3", ["-c", "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("python3 is needed to parse the manifests (with python3-yaml; scripts/patroni.sh installs both).", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, $"{file} did not parse as YAML (python3 with python3-yaml is needed): {await stderr}");
            return JsonNode.Parse(await stdout)!.AsArray();
        }
    }
}
