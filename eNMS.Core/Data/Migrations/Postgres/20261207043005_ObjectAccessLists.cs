using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace eNMS.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ObjectAccessLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "EditAccess",
                table: "Schedules",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Schedules",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "ReadAccess",
                table: "Schedules",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<List<string>>(
                name: "EditAccess",
                table: "Playbooks",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Playbooks",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "ReadAccess",
                table: "Playbooks",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<List<string>>(
                name: "RunAccess",
                table: "Playbooks",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<List<string>>(
                name: "EditAccess",
                table: "ComplianceRules",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "ComplianceRules",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "ReadAccess",
                table: "ComplianceRules",
                type: "text[]",
                nullable: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EditAccess",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "ReadAccess",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "EditAccess",
                table: "Playbooks");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Playbooks");

            migrationBuilder.DropColumn(
                name: "ReadAccess",
                table: "Playbooks");

            migrationBuilder.DropColumn(
                name: "RunAccess",
                table: "Playbooks");

            migrationBuilder.DropColumn(
                name: "EditAccess",
                table: "ComplianceRules");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "ComplianceRules");

            migrationBuilder.DropColumn(
                name: "ReadAccess",
                table: "ComplianceRules");
        }
    }
}
