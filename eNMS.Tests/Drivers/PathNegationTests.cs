using eNMS.Drivers.Config;
using eNMS.Drivers.Platforms.Profiles;

namespace eNMS.Tests.Drivers;

/// <summary>The inverse changes a revert commits on set/delete candidate platforms (VyOS, PAN-OS, SR OS), from their
/// running configurations in braces.</summary>
public class PathNegationTests
{
    private static readonly IConfigInversion Vyos = PlatformProfiles.Vyos.Inversion!;
    private static readonly IConfigInversion Panos = PlatformProfiles.PaloAltoPanos.Inversion!;
    private static readonly IConfigInversion Sros = PlatformProfiles.NokiaSros.Inversion!;

    private const string VyosBefore = """
        interfaces {
            ethernet eth0 {
                address 192.0.2.1/24
                description mgmt
            }
            loopback lo {
            }
        }
        protocols {
            static {
                route 198.18.0.0/15 {
                    next-hop 192.0.2.254
                }
            }
        }
        service {
            ssh {
                port 22
            }
        }
        // Warning: Do not remove the following line.
        """;

    private const string VyosNow = """
        interfaces {
            ethernet eth0 {
                address 192.0.2.1/24
                address 192.0.2.9/24
                description "changed by run"
            }
            ethernet eth1 {
                address 10.1.1.1/24
                description lab
            }
            loopback lo {
            }
        }
        service {
            ssh {
                port 2222
            }
        }
        """;

    [Fact]
    public void Vyos_deletes_an_added_section_at_its_shortest_path_and_sets_back_what_was_removed_or_changed()
    {
        Assert.Equal([
            "delete interfaces ethernet eth0 address 192.0.2.9/24",
            "delete interfaces ethernet eth0 description \"changed by run\"",
            "delete interfaces ethernet eth1",
            "delete service ssh port 2222",
            "set interfaces ethernet eth0 description mgmt",
            "set protocols static route 198.18.0.0/15 next-hop 192.0.2.254",
            "set service ssh port 22",
        ], Vyos.Commands(VyosNow, VyosBefore));
    }

    [Fact]
    public void The_diff_and_the_residual_are_the_paths_either_side_lacks_and_are_empty_when_equal()
    {
        var diff = Vyos.Diff(VyosNow, VyosBefore).Split('\n');
        Assert.Contains("- interfaces ethernet eth1 address 10.1.1.1/24", diff);
        Assert.Contains("+ protocols static route 198.18.0.0/15 next-hop 192.0.2.254", diff);
        Assert.Contains("+ interfaces loopback lo", Vyos.Diff("interfaces {\n}", VyosBefore).Split('\n'));
        Assert.DoesNotContain(diff, l => l.Contains("Warning", StringComparison.Ordinal));
        Assert.Equal("", Vyos.Residual(VyosBefore, VyosBefore));
        Assert.Empty(Vyos.Commands(VyosBefore, VyosBefore));
        // The order of a section's lines and a section split in two are no difference.
        Assert.Equal("", Vyos.Residual("service {\n ssh {\n  port 22\n }\n}\ninterfaces {\n loopback lo {\n }\n}\n" +
            "protocols {\n static {\n route 198.18.0.0/15 {\n next-hop 192.0.2.254\n }\n }\n}\n" +
            "interfaces {\n ethernet eth0 {\n description mgmt\n address 192.0.2.1/24\n }\n}", VyosBefore));
    }

    [Fact]
    public void The_commands_applied_to_the_paths_give_back_the_earlier_configuration()
    {
        // Applying the commands as VyOS does (delete a path and all under it, set adds a path) to the paths of now.
        var paths = ((PathNegation)Vyos).Paths(VyosNow).ToList();
        foreach (var command in Vyos.Commands(VyosNow, VyosBefore))
        {
            var path = command.Split(' ', 2)[1];
            if (command.StartsWith("delete ", StringComparison.Ordinal))
            {
                Assert.True(paths.RemoveAll(p => p == path || p.StartsWith(path + " ", StringComparison.Ordinal)) > 0, command);
            }
            else
            {
                paths.Add(path);
            }
        }
        Assert.Equal(((PathNegation)Vyos).Paths(VyosBefore).Order(StringComparer.Ordinal), paths.Order(StringComparer.Ordinal));
    }

    private const string PanosBefore = """
        config {
          address {
            dns {
              ip-netmask 192.0.2.53/32;
            }
          }
          deviceconfig {
            system {
              hostname PA-VM;
              default-gateway 192.0.2.254;
            }
          }
          zone {
            trust {
              network {
                layer3 ethernet1/2;
              }
            }
          }
          network {
            virtual-router {
              default {
                routing-table {
                  ip {
                    static-route {
                      default-route {
                        destination 0.0.0.0/0;
                        nexthop {
                          ip-address 198.51.100.254;
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """;

    private const string PanosNow = """
        config {
          address {
            web {
              description "web server";
              ip-netmask 10.1.0.10/32;
            }
            dns {
              ip-netmask 192.0.2.53/32;
            }
          }
          deviceconfig {
            system {
              hostname PA-VM;
              default-gateway 192.0.2.253;
            }
          }
          zone {
            trust {
              network {
                layer3 [ ethernet1/2 ethernet1/3 ];
              }
            }
          }
        }
        """;

    [Fact]
    public void Panos_sets_a_changed_value_over_the_old_one_and_deletes_then_sets_a_member_list_whole()
    {
        Assert.Equal([
            "delete address web",
            "delete zone trust network layer3",
            "set deviceconfig system default-gateway 192.0.2.254",
            "set zone trust network layer3 ethernet1/2",
            "set network virtual-router default routing-table ip static-route default-route destination 0.0.0.0/0",
            "set network virtual-router default routing-table ip static-route default-route nexthop ip-address 198.51.100.254",
        ], Panos.Commands(PanosNow, PanosBefore));
        // The "config {" that wraps PAN-OS's configuration is no part of a path.
        Assert.Contains("- address web ip-netmask 10.1.0.10/32", Panos.Diff(PanosNow, PanosBefore).Split('\n'));
    }

    [Fact]
    public void Panos_deletes_a_leaf_the_snapshot_lacks_by_its_name_without_the_value()
    {
        var now = PanosBefore.Replace("default-gateway 192.0.2.254;", "default-gateway 192.0.2.254;\n      netmask 255.255.255.0;", StringComparison.Ordinal);
        Assert.Equal(["delete deviceconfig system netmask"], Panos.Commands(now, PanosBefore));
    }

    [Fact]
    public void A_section_the_snapshot_lacks_altogether_is_deleted_whole()
    {
        var now = "config {\n  address {\n    web {\n      ip-netmask 10.1.0.10/32;\n    }\n  }\n}";
        Assert.Equal(["delete address"], Panos.Commands(now, "config {\n}"));
    }

    private const string SrosBefore = """
        exit all
        configure {
            port 1/1/1 {
                admin-state enable
                description "mgmt"
            }
            router "Base" {
                interface "system" {
                    ipv4 {
                        primary {
                            address 192.0.2.1
                            prefix-length 32
                        }
                    }
                }
            }
        }
        """;

    private const string SrosNow = """
        exit all
        configure {
            port 1/1/1 {
                admin-state disable
            }
            router "Base" {
                interface "system" {
                    ipv4 {
                        primary {
                            address 192.0.2.1
                            prefix-length 32
                        }
                    }
                }
                interface "to-core" {
                    port "1/1/1"
                }
            }
        }
        """;

    [Fact]
    public void Sros_types_absolute_paths_without_a_set_word_and_deletes_an_added_list_entry_whole()
    {
        Assert.Equal([
            "delete /configure router \"Base\" interface \"to-core\"",
            "/configure port 1/1/1 admin-state enable",
            "/configure port 1/1/1 description \"mgmt\"",
        ], Sros.Commands(SrosNow, SrosBefore));
        Assert.Contains("- /configure router \"Base\" interface \"to-core\" port \"1/1/1\"", Sros.Diff(SrosNow, SrosBefore).Split('\n'));
    }

    [Fact]
    public void The_platforms_choose_their_inversion_in_their_profile()
    {
        Assert.IsType<CliNegation>(PlatformProfiles.CiscoAsa.Inversion);
        Assert.False(PlatformProfiles.CiscoAsa.Inversion!.CommitsOnce);
        Assert.All([Vyos, Panos, Sros], i => Assert.True(Assert.IsType<PathNegation>(i).CommitsOnce));
        Assert.Null(PlatformProfiles.CiscoIos.Inversion);
    }
}
