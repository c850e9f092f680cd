// DO NOT EDIT: generated from rubrics/schema/*.xsd and *.json by scripts/generate-schemas.sh (make generate).

extension BundledSchema {
  /// The text of rubrics/schema/microcredential.xsd.
  static let microcredentialText = ####"""
<?xml version="1.0" encoding="UTF-8"?>
<!--
  mastery rubric format, version 1: one microcredential per file.
  Namespace urn:mastery:rubric:1. Documented in docs/rubric-format.md.
  `mastery schema rubric` prints this file; point your editor at it.
  Evaluator configuration is checked by `mastery validate`, per kind,
  so <evaluator> accepts any attribute and child here.
-->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:r="urn:mastery:rubric:1"
           targetNamespace="urn:mastery:rubric:1"
           elementFormDefault="qualified"
           attributeFormDefault="unqualified">

  <xs:element name="microcredential" type="r:Microcredential"/>

  <xs:simpleType name="Identifier">
    <xs:annotation><xs:documentation>Letters, digits, '.', '_' and '-', starting with a letter or digit.</xs:documentation></xs:annotation>
    <xs:restriction base="xs:string">
      <xs:pattern value="[A-Za-z0-9][A-Za-z0-9._\-]*"/>
      <xs:maxLength value="100"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="IdentifierList">
    <xs:restriction>
      <xs:simpleType><xs:list itemType="r:Identifier"/></xs:simpleType>
      <xs:minLength value="1"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="NonEmptyText">
    <xs:restriction base="xs:string">
      <xs:minLength value="1"/>
      <xs:pattern value="[\s\S]*\S[\s\S]*"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="Threshold">
    <xs:annotation><xs:documentation>A percentage ("75%") or a number of points ("12").</xs:documentation></xs:annotation>
    <xs:restriction base="xs:string">
      <xs:pattern value="[0-9]+(\.[0-9]+)?%?"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="EvidenceKind">
    <xs:restriction base="xs:string">
      <xs:enumeration value="file"/>
      <xs:enumeration value="folder"/>
      <xs:enumeration value="text"/>
      <xs:enumeration value="url"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="AttemptsPolicy">
    <xs:restriction base="xs:string">
      <xs:enumeration value="latest"/>
      <xs:enumeration value="highest"/>
      <xs:enumeration value="average"/>
      <xs:enumeration value="decaying-average"/>
      <xs:enumeration value="n-mastery"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:complexType name="Microcredential">
    <xs:sequence>
      <xs:element name="title" type="r:NonEmptyText"/>
      <xs:element name="issuer" type="r:Issuer"/>
      <xs:element name="description" type="xs:string" minOccurs="0"/>
      <xs:element name="image" type="r:Image" minOccurs="0"/>
      <xs:element name="competency" type="r:NonEmptyText"/>
      <xs:element name="key-method" type="xs:string" minOccurs="0"/>
      <xs:element name="alignment" type="r:Alignment" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="levels" type="r:Levels"/>
      <xs:element name="evidence" type="r:Evidence"/>
      <xs:element name="criteria" type="r:Criteria"/>
      <xs:element name="mastery" type="r:Mastery"/>
    </xs:sequence>
    <xs:attribute name="id" type="r:Identifier" use="required"/>
    <xs:attribute name="version" type="xs:string" use="required"/>
  </xs:complexType>

  <xs:complexType name="Issuer">
    <xs:attribute name="name" type="r:NonEmptyText" use="required"/>
    <xs:attribute name="url" type="xs:anyURI"/>
    <xs:attribute name="email" type="xs:string"/>
    <xs:attribute name="image" type="r:NonEmptyText"/>
  </xs:complexType>

  <!-- The credential's badge: a PNG or SVG file beside the rubric, or an https URL. -->
  <xs:complexType name="Image">
    <xs:attribute name="src" type="r:NonEmptyText" use="required"/>
    <xs:attribute name="caption" type="xs:string"/>
  </xs:complexType>

  <xs:complexType name="Alignment">
    <xs:simpleContent>
      <xs:extension base="xs:string">
        <xs:attribute name="framework" type="r:NonEmptyText" use="required"/>
        <xs:attribute name="code" type="xs:string"/>
        <xs:attribute name="name" type="xs:string"/>
        <xs:attribute name="url" type="xs:anyURI"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>

  <xs:complexType name="Levels">
    <xs:sequence>
      <xs:element name="level" maxOccurs="unbounded">
        <xs:complexType>
          <xs:simpleContent>
            <xs:extension base="r:NonEmptyText">
              <xs:attribute name="id" type="r:Identifier" use="required"/>
              <xs:attribute name="score" type="xs:decimal" use="required"/>
            </xs:extension>
          </xs:simpleContent>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Evidence">
    <xs:sequence>
      <xs:element name="item" maxOccurs="unbounded">
        <xs:complexType>
          <xs:simpleContent>
            <xs:extension base="xs:string">
              <xs:attribute name="id" type="r:Identifier" use="required"/>
              <xs:attribute name="kind" type="r:EvidenceKind" use="required"/>
              <xs:attribute name="path" type="xs:string"/>
              <xs:attribute name="required" type="xs:boolean" default="true"/>
              <xs:attribute name="min-words" type="xs:nonNegativeInteger"/>
              <xs:attribute name="max-words" type="xs:positiveInteger"/>
            </xs:extension>
          </xs:simpleContent>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Criteria">
    <xs:sequence>
      <xs:element name="criterion" type="r:Criterion" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Criterion">
    <xs:sequence>
      <xs:element name="title" type="r:NonEmptyText"/>
      <xs:element name="description" type="xs:string" minOccurs="0"/>
      <xs:element name="descriptor" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:simpleContent>
            <xs:extension base="r:NonEmptyText">
              <xs:attribute name="level" type="r:Identifier" use="required"/>
            </xs:extension>
          </xs:simpleContent>
        </xs:complexType>
      </xs:element>
      <xs:element name="evaluator" type="r:Evaluator"/>
    </xs:sequence>
    <xs:attribute name="id" type="r:Identifier" use="required"/>
    <xs:attribute name="weight" type="xs:decimal" default="1"/>
    <xs:attribute name="evidence" type="r:IdentifierList" use="required"/>
    <xs:attribute name="carry-over" type="xs:boolean" default="false"/>
  </xs:complexType>

  <xs:complexType name="Evaluator">
    <xs:annotation><xs:documentation>
      The kind names a registered evaluator (checklist, text, python-tests, web,
      reviewer, command). Its attributes and children are that kind's
      configuration, checked by `mastery validate`.
    </xs:documentation></xs:annotation>
    <xs:sequence>
      <xs:any namespace="##targetNamespace" processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="kind" type="r:Identifier" use="required"/>
    <xs:anyAttribute namespace="##local" processContents="skip"/>
  </xs:complexType>

  <xs:complexType name="Mastery">
    <xs:sequence>
      <xs:element name="every-criterion" minOccurs="0">
        <xs:complexType>
          <xs:attribute name="at-least" type="r:Identifier" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="criterion" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:attribute name="ref" type="r:Identifier" use="required"/>
          <xs:attribute name="at-least" type="r:Identifier" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="total" minOccurs="0">
        <xs:complexType>
          <xs:attribute name="at-least" type="r:Threshold" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="attempts" minOccurs="0">
        <xs:complexType>
          <xs:attribute name="policy" type="r:AttemptsPolicy" default="latest"/>
          <xs:attribute name="max" type="xs:positiveInteger"/>
          <xs:attribute name="n" type="xs:positiveInteger"/>
          <xs:attribute name="decay" type="xs:decimal"/>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
  </xs:complexType>
</xs:schema>

"""####
  /// The text of rubrics/schema/review.xsd.
  static let reviewText = ####"""
<?xml version="1.0" encoding="UTF-8"?>
<!--
  mastery review documents, version 1: reviews and adjudications, as
  as the export option of `mastery review` writes them and its import option reads them.
  Namespace urn:mastery:review:1. `mastery schema review` prints this file.
-->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:v="urn:mastery:review:1"
           targetNamespace="urn:mastery:review:1"
           elementFormDefault="qualified"
           attributeFormDefault="unqualified">

  <xs:element name="reviews" type="v:Reviews"/>

  <xs:simpleType name="Identifier">
    <xs:restriction base="xs:string">
      <xs:pattern value="[A-Za-z0-9][A-Za-z0-9._\-]*"/>
      <xs:maxLength value="100"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="Reviewer">
    <xs:restriction base="xs:string">
      <xs:minLength value="1"/>
      <xs:maxLength value="200"/>
      <xs:pattern value="\S(.*\S)?"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="Kind">
    <xs:restriction base="xs:string">
      <xs:enumeration value="review"/>
      <xs:enumeration value="adjudication"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:complexType name="Reviews">
    <xs:sequence>
      <xs:element name="review" type="v:Review" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Review">
    <xs:sequence>
      <xs:element name="feedback" type="xs:string" minOccurs="0"/>
      <xs:element name="reason" type="xs:string" minOccurs="0"/>
    </xs:sequence>
    <xs:attribute name="credential" type="v:Identifier" use="required"/>
    <xs:attribute name="candidate" type="v:Identifier" use="required"/>
    <xs:attribute name="attempt" type="xs:positiveInteger" use="required"/>
    <xs:attribute name="rubric-version" type="xs:string" use="required"/>
    <xs:attribute name="criterion" type="v:Identifier" use="required"/>
    <xs:attribute name="reviewer" type="v:Reviewer" use="required"/>
    <xs:attribute name="level" type="v:Identifier" use="required"/>
    <xs:attribute name="kind" type="v:Kind" default="review"/>
    <!-- Written by export, ignored by import (the ledger gives new ids and times). -->
    <xs:attribute name="id" type="xs:positiveInteger"/>
    <xs:attribute name="recorded" type="xs:dateTime"/>
    <xs:attribute name="supersedes" type="xs:positiveInteger"/>
    <!-- On import: replace this reviewer's current review of the criterion. -->
    <xs:attribute name="revise" type="xs:boolean" default="false"/>
  </xs:complexType>
</xs:schema>

"""####
  /// The text of rubrics/schema/submission.xsd.
  static let submissionText = ####"""
<?xml version="1.0" encoding="UTF-8"?>
<!--
  mastery submission manifest, version 1: submission.xml in the folder that
  holds one candidate's attempt at one microcredential.
  Namespace urn:mastery:submission:1. Documented in docs/submission-format.md.
  `mastery schema submission` prints this file.
-->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:s="urn:mastery:submission:1"
           targetNamespace="urn:mastery:submission:1"
           elementFormDefault="qualified"
           attributeFormDefault="unqualified">

  <xs:element name="submission" type="s:Submission"/>

  <xs:simpleType name="Identifier">
    <xs:restriction base="xs:string">
      <xs:pattern value="[A-Za-z0-9][A-Za-z0-9._\-]*"/>
      <xs:maxLength value="100"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="NonEmptyText">
    <xs:restriction base="xs:string">
      <xs:minLength value="1"/>
      <xs:pattern value="[\s\S]*\S[\s\S]*"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:complexType name="Submission">
    <xs:sequence>
      <xs:element name="candidate" type="s:Candidate"/>
      <xs:element name="submitted" type="xs:dateTime"/>
      <xs:element name="evidence" type="s:Evidence" minOccurs="0"/>
      <xs:element name="checklist" type="s:Checklist" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="credential" type="s:Identifier" use="required"/>
    <xs:attribute name="version" type="xs:string" use="required"/>
    <xs:attribute name="attempt" type="xs:positiveInteger" default="1"/>
  </xs:complexType>

  <xs:complexType name="Candidate">
    <xs:attribute name="id" type="s:Identifier" use="required"/>
    <xs:attribute name="name" type="s:NonEmptyText"/>
    <xs:attribute name="email" type="xs:string"/>
    <xs:attribute name="did" type="xs:anyURI"/>
  </xs:complexType>

  <xs:complexType name="Evidence">
    <xs:sequence>
      <xs:element name="answer" maxOccurs="unbounded">
        <xs:annotation><xs:documentation>
          Which file or folder (path, relative to the submission folder) or
          which web address (url) answers the rubric's evidence item.
        </xs:documentation></xs:annotation>
        <xs:complexType>
          <xs:attribute name="item" type="s:Identifier" use="required"/>
          <xs:attribute name="path" type="s:NonEmptyText"/>
          <xs:attribute name="url" type="xs:anyURI"/>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Checklist">
    <xs:annotation><xs:documentation>
      The checks of one checklist criterion that the candidate affirms.
    </xs:documentation></xs:annotation>
    <xs:sequence>
      <xs:element name="affirm" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:simpleContent>
            <xs:extension base="xs:string">
              <xs:attribute name="check" type="s:Identifier" use="required"/>
              <xs:attribute name="file" type="s:NonEmptyText"/>
            </xs:extension>
          </xs:simpleContent>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="criterion" type="s:Identifier" use="required"/>
  </xs:complexType>
</xs:schema>

"""####
  /// The text of rubrics/schema/plugin-request.json.
  static let pluginRequestText = ####"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "urn:mastery:plugin-request:1",
  "title": "mastery plugin request (protocol mastery-1)",
  "description": "What mastery writes on a command plugin's standard input: one JSON object. See docs/plugins.md.",
  "type": "object",
  "required": ["protocol", "criterion", "configuration", "evidence", "credential", "candidate", "attempt"],
  "properties": {
    "protocol": { "const": "mastery-plugin/1" },
    "criterion": {
      "type": "object",
      "required": ["id", "title", "weight", "levels"],
      "properties": {
        "id": { "type": "string" },
        "title": { "type": "string" },
        "weight": { "type": "number", "minimum": 0 },
        "levels": {
          "type": "array",
          "description": "The rubric's levels, lowest first.",
          "items": {
            "type": "object",
            "required": ["id", "label", "score"],
            "properties": {
              "id": { "type": "string" },
              "label": { "type": "string" },
              "score": { "type": "number" },
              "descriptor": { "type": "string" }
            }
          }
        },
        "requiredLevel": { "type": "string", "description": "The lowest level the mastery policy accepts, if any." }
      }
    },
    "configuration": {
      "type": "object",
      "required": ["attributes", "elements"],
      "properties": {
        "attributes": {
          "type": "object",
          "description": "The <evaluator> attributes that are not the engine's.",
          "additionalProperties": { "type": "string" }
        },
        "elements": { "type": "array", "items": { "$ref": "#/$defs/element" } }
      }
    },
    "evidence": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["item", "kind", "present", "files"],
        "properties": {
          "item": { "type": "string" },
          "kind": { "enum": ["file", "folder", "text", "url"] },
          "present": { "type": "boolean" },
          "path": { "type": "string", "description": "The item's file or folder, as the plugin reads it." },
          "url": { "type": "string" },
          "files": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["path", "name", "sha256", "bytes"],
              "properties": {
                "path": { "type": "string" },
                "name": { "type": "string", "description": "As the candidate named it, relative to the submission." },
                "sha256": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
                "bytes": { "type": "integer", "minimum": 0 }
              }
            }
          }
        }
      }
    },
    "credential": { "type": "string" },
    "candidate": { "type": "string" },
    "attempt": { "type": "integer", "minimum": 1 }
  },
  "$defs": {
    "element": {
      "type": "object",
      "required": ["name", "attributes", "text", "elements"],
      "properties": {
        "name": { "type": "string" },
        "attributes": { "type": "object", "additionalProperties": { "type": "string" } },
        "text": { "type": "string" },
        "elements": { "type": "array", "items": { "$ref": "#/$defs/element" } }
      }
    }
  }
}

"""####
  /// The text of rubrics/schema/plugin-result.json.
  static let pluginResultText = ####"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "urn:mastery:plugin-result:1",
  "title": "mastery plugin result (protocol mastery-1)",
  "description": "What a command plugin writes on its standard output: one JSON object, and exit status 0. See docs/plugins.md.",
  "type": "object",
  "required": ["status"],
  "additionalProperties": false,
  "properties": {
    "status": { "enum": ["scored", "pending", "error"] },
    "level": { "type": "string", "description": "A level id of the rubric." },
    "points": { "type": "number", "minimum": 0 },
    "maxPoints": { "type": "number", "exclusiveMinimum": 0 },
    "summary": { "type": "string" },
    "message": { "type": "string", "minLength": 1, "description": "Why it is pending, or why the plugin could not judge." },
    "feedback": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["text"],
        "properties": {
          "text": { "type": "string" },
          "file": { "type": "string" },
          "line": { "type": "integer", "minimum": 1 }
        }
      }
    },
    "tests": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["name", "outcome"],
        "properties": {
          "name": { "type": "string" },
          "outcome": { "enum": ["passed", "failed", "skipped", "error"] },
          "points": { "type": "number", "minimum": 0 },
          "maxPoints": { "type": "number", "minimum": 0 },
          "message": { "type": "string" }
        }
      }
    }
  },
  "dependentRequired": { "points": ["maxPoints"], "maxPoints": ["points"] },
  "allOf": [
    {
      "if": { "properties": { "status": { "const": "scored" } } },
      "then": { "anyOf": [{ "required": ["level"] }, { "required": ["points"] }] }
    },
    {
      "if": { "properties": { "status": { "enum": ["pending", "error"] } } },
      "then": { "required": ["message"] }
    }
  ]
}

"""####
}
